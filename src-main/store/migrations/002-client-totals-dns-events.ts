/**
 * Version 2: what makes the console's windows fast at a million clients, and DNS publishing events
 * (Microsoft's 12293/12294):
 * - `client_totals` per (product, license state, VM), kept in step with `clients`, so a row count
 *   never scans the table;
 * - `clients_by_group`, so filters on those columns (and last seen) are index range lookups;
 * - `clients_text`, a trigram full-text index of machine name, address and CMID, so a text filter
 *   finds substrings without scanning (contentless: it stores no second copy of the text).
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

      CREATE INDEX clients_by_group ON clients (product_id, license_state, is_vm, last_seen);

      CREATE VIRTUAL TABLE clients_text USING fts5 (
        machine_name, address, cmid, content = '', contentless_delete = 1, tokenize = 'trigram'
      );
      INSERT INTO clients_text (rowid, machine_name, address, cmid)
        SELECT rowid, machine_name, address, cmid FROM clients;

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
