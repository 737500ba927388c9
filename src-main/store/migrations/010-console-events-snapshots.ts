/**
 * Version 10: what the console watches over time.
 * - `console_events`: events that outlast a restart, with a severity, an episode key (a condition
 *   that goes on is one event whose occurrences grow, not one row per sighting), and when the admin
 *   acknowledged it or the condition cleared.
 * - `count_snapshots`: one row per day and threshold group, the count the host had that day, so the
 *   Overview can draw the last 90 days against the threshold.
 * - `request_log_by_cmid`: a client's request history (the Clients drawer) is an index range, not a
 *   scan of the log.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

export const migration010: Migration = {
  version: 10,
  name: 'console-events-snapshots',
  up(db: Database) {
    db.exec(`
      CREATE TABLE console_events (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        at              INTEGER NOT NULL,
        last_at         INTEGER NOT NULL,
        occurrences     INTEGER NOT NULL,
        kind            TEXT NOT NULL,
        severity        TEXT NOT NULL,
        episode_key     TEXT NOT NULL,
        message         TEXT NOT NULL,
        view            TEXT NOT NULL,
        acknowledged_at INTEGER,
        resolved_at     INTEGER
      );
      CREATE INDEX console_events_by_key ON console_events (episode_key, id);

      CREATE TABLE count_snapshots (
        day            TEXT NOT NULL,
        application_id TEXT NOT NULL,
        threshold      INTEGER NOT NULL,
        count          INTEGER NOT NULL,
        at             INTEGER NOT NULL,
        PRIMARY KEY (application_id, threshold, day)
      ) WITHOUT ROWID;

      CREATE INDEX request_log_by_cmid ON request_log (cmid, id);
    `);
  },
};
