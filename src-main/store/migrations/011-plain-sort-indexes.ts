/**
 * Version 11: the sort indexes are plain again, (column, cmid), and `group_key` (version 4) is
 * gone. Filters on product, license state and VM are tested on the row (client-query.ts): at a
 * million clients the console's windows stayed within their targets without it (bench/README.md,
 * "The store"), and one packed key defined in SQL is one fewer thing a reader must keep in step
 * with the writer. The CMID sort reads the primary key's own index, so `clients_by_cmid` goes too;
 * the last-seen index keeps the name and address (version 8) for seen-within windows with a text.
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
  'request_count',
  'last_result',
] as const;

export const migration011: Migration = {
  version: 11,
  name: 'plain-sort-indexes',
  up(db: Database) {
    for (const col of [...SORT_COLUMNS, 'last_seen', 'cmid']) db.exec(`DROP INDEX IF EXISTS clients_by_${col}`);
    db.exec('ALTER TABLE clients DROP COLUMN group_key');
    for (const col of SORT_COLUMNS) db.exec(`CREATE INDEX clients_by_${col} ON clients (${col}, cmid)`);
    db.exec('CREATE INDEX clients_by_last_seen ON clients (last_seen, cmid, machine_name, address)');
  },
};
