/**
 * Version 5: the activation journal.
 *
 * A reply waits for its commit. Before this version that commit also updated the client
 * inventory, its nine sort indexes, the text index, the request log, the CMID table and the
 * counters: ~28 WAL pages for a first activation, ~13 for a renewal. Now the reply's commit appends
 * one row here (the serialized record), and the store applies journal rows to those tables in
 * batches shortly after, deleting them in the same transaction. A row still here at start-up was
 * committed but not applied (the process died in between) and is applied before anything reads.
 * `error` marks a row that could not be applied on its own, kept so nothing acknowledged is
 * silently dropped.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

export const migration005: Migration = {
  version: 5,
  name: 'activation-journal',
  up(db: Database) {
    db.exec(`CREATE TABLE activation_journal (
      seq INTEGER PRIMARY KEY,
      body TEXT NOT NULL,
      error TEXT
    )`);
  },
};
