/**
 * Version 9: the client table's reads use plain SQLite (client-query.ts), so what only the retired
 * query planner used goes: the 4-gram full-text table, the `group_key` column and the copies of it
 * in every sort index, the CMID and product-name indexes. Each sort index is (column, cmid) again,
 * which is all keyset paging needs, and every new client writes three fewer index entries.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

const SORT_COLUMNS = [
  'machine_name',
  'address',
  'product_name',
  'license_state',
  'is_vm',
  'first_seen',
  'last_seen',
  'request_count',
  'last_result',
] as const;

export const migration009: Migration = {
  version: 9,
  name: 'plain-client-indexes',
  up(db: Database) {
    db.exec(`
      DROP TABLE IF EXISTS clients_grams;
      DROP INDEX IF EXISTS clients_by_cmid;
      DROP INDEX IF EXISTS clients_product_names;
    `);
    for (const col of SORT_COLUMNS) {
      db.exec(`DROP INDEX IF EXISTS clients_by_${col}; CREATE INDEX clients_by_${col} ON clients (${col}, cmid)`);
    }
    db.exec('ALTER TABLE clients DROP COLUMN group_key');
  },
};
