/**
 * Version 4: filters the console's client windows check inside the sort indexes.
 *
 * A window sorted by one column and filtered on product, license state or VM walked the sort index
 * and read each row from the table to test the filter; a page deep in a filtered list, or a filter
 * whose matches all sort late, read hundreds of thousands of rows. `group_key` packs the three
 * filter columns into one small integer, and every sort index now ends with it, so SQLite tests the
 * filter from the index entry and reads only the rows it returns.
 *
 * group_key = hash(first 4 characters of product_id) * 14 + license_state * 2 + is_vm, where the
 * hash reads them as hex digits (1..16, 0 for anything else). It is a VIRTUAL generated column:
 * nothing is added to the table rows, the write path does not set it, and only the index entries
 * hold it. Two products may share a hash; the reader checks that against `client_totals` and then
 * tests product_id itself.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

const hexDigit = (i: number) => `instr('0123456789abcdef', substr(product_id, ${i}, 1))`;

/** The expression of `clients.group_key` (dropped again by migration 11). */
const GROUP_KEY_SQL = `((((${hexDigit(1)} * 17 + ${hexDigit(2)}) * 17 + ${hexDigit(3)}) * 17 + ${hexDigit(4)}) * 14 + license_state * 2 + is_vm)`;

/** Sort indexes of version 1, (column, cmid), rebuilt as (column, cmid, group_key). */
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

export const migration004: Migration = {
  version: 4,
  name: 'client-group-key',
  up(db: Database) {
    db.exec(`ALTER TABLE clients ADD COLUMN group_key INTEGER GENERATED ALWAYS AS ${GROUP_KEY_SQL} VIRTUAL`);
    for (const col of SORT_COLUMNS) {
      db.exec(`DROP INDEX clients_by_${col}; CREATE INDEX clients_by_${col} ON clients (${col}, cmid, group_key)`);
    }
  },
};
