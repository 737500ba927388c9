/**
 * Version 7 added `clients_grams`, a 4-gram full-text index for the query planner that version 9
 * retired. Version 9 drops the table, so an upgrade that passes through this step only creates it
 * empty: filling it (about 25 s at a million clients) would be work thrown away one step later.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

export const migration007: Migration = {
  version: 7,
  name: 'client-grams',
  up(db: Database) {
    db.exec(`CREATE VIRTUAL TABLE clients_grams USING fts5 (
      machine_name, address, content = '', contentless_delete = 1, tokenize = 'ascii'
    )`);
  },
};
