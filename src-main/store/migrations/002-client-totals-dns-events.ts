/**
 * Version 2: totals of the client inventory per (product, license state, VM), kept in step with
 * `clients` so that the console's row count never scans a million rows; and DNS publishing events
 * (Microsoft's 12293/12294).
 */
import type { Migration } from './migration.js';

export const migration002: Migration = {
  version: 2,
  name: 'client-totals-dns-events',
  up(db) {
    db.exec(`
      CREATE TABLE client_totals (
        product_id    TEXT NOT NULL,
        license_state INTEGER NOT NULL,
        is_vm         INTEGER NOT NULL,
        n             INTEGER NOT NULL,
        PRIMARY KEY (product_id, license_state, is_vm)
      ) WITHOUT ROWID;
      INSERT INTO client_totals (product_id, license_state, is_vm, n)
        SELECT product_id, license_state, is_vm, COUNT(*) FROM clients GROUP BY product_id, license_state, is_vm;

      CREATE TABLE dns_events (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        at      INTEGER NOT NULL,
        domain  TEXT NOT NULL,
        action  TEXT NOT NULL,
        ok      INTEGER NOT NULL,
        message TEXT NOT NULL
      );
    `);
  },
};
