/**
 * Version 8: the last-seen index also holds the machine name and the address, so a window with a
 * seen-within filter and a text in many clients, sorted by name, address or CMID, reads only the
 * index entries of the clients seen since the cutoff: the text is tested in each entry, and the
 * matches are sorted by the values the entry holds. Before, either each of those clients' rows was
 * read (~3 µs each), or the sort index was walked with them as a set, which was long when the
 * text's matches sort late: "10.20" seen within 7 days, by address, ~110 ms at a million clients
 * (~15 ms now).
 *
 * It costs no extra write: every activation changes the client's last seen, so its entry in this
 * index is rewritten anyway; the entry is ~30 bytes longer (~30 MB at a million clients).
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

export const migration008: Migration = {
  version: 8,
  name: 'seen-index-text',
  up(db: Database) {
    db.exec(`
      DROP INDEX clients_by_last_seen;
      CREATE INDEX clients_by_last_seen ON clients (last_seen, cmid, group_key, machine_name, address);
    `);
  },
};
