/**
 * Version 9: the client table's reads use plain SQLite (client-query.ts), so what only the retired
 * query planner used goes: the 4-gram full-text table and the product-name index. Every new client
 * writes two fewer index structures.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

export const migration009: Migration = {
  version: 9,
  name: 'plain-client-indexes',
  up(db: Database) {
    db.exec(`
      DROP TABLE IF EXISTS clients_grams;
      DROP INDEX IF EXISTS clients_product_names;
    `);
  },
};
