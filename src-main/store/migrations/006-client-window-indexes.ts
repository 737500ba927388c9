/**
 * Version 6: two indexes for client windows that still walked far at a million clients.
 *
 * - `clients_by_cmid (cmid, group_key)`: the primary-key index that orders by CMID holds no
 *   group_key, so a window sorted by CMID and filtered on product, license state or VM read every
 *   row it skipped from the table (~170 ms at offset 10,000). With this index the filter is tested
 *   in the index entry, as for every other sort column (migration 4).
 * - `clients_product_names (product_id, product_name)`: which names the clients of each product
 *   carry, read by skipping from pair to pair (a few lookups). A window sorted by product name and
 *   filtered (say, on VM) then seeks only the names whose products have matching clients, instead
 *   of walking every entry of the names that have none (up to 500,000 entries).
 *
 * Both are written when a client first appears, and again only when its product, license state or
 * VM flag changes: a renewal that changes none of them does not touch them.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration.js';

export const migration006: Migration = {
  version: 6,
  name: 'client-window-indexes',
  up(db: Database) {
    db.exec(`
      CREATE INDEX clients_by_cmid ON clients (cmid, group_key);
      CREATE INDEX clients_product_names ON clients (product_id, product_name);
    `);
  },
};
