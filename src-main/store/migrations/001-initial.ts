/**
 * Version 1: settings, the engine's persistent state (CMID tables, capacities, counters), the
 * client inventory and the request log.
 */
import type { Migration } from './migration.js';
import { QUORUM_APPLICATION_ID } from './migration.js';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.pragma(`application_id = ${QUORUM_APPLICATION_ID}`);
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      -- One row per CMID the engine counts, per application (docs/model.md: bounded by capacity).
      CREATE TABLE cmids (
        application_id TEXT NOT NULL,
        cmid           TEXT NOT NULL,
        last_seen      INTEGER NOT NULL,
        machine_name   TEXT NOT NULL,
        address        TEXT NOT NULL,
        product_id     TEXT NOT NULL,
        PRIMARY KEY (application_id, cmid)
      ) WITHOUT ROWID;

      CREATE TABLE capacities (
        application_id TEXT PRIMARY KEY,
        capacity       INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- Cumulative request counters (slmgr /dlv). scope: 'all' | 'application' | 'product'; key '' for 'all'.
      -- license_state -1 holds the total and failed counts of the scope.
      CREATE TABLE counters (
        scope         TEXT NOT NULL,
        key           TEXT NOT NULL,
        license_state INTEGER NOT NULL,
        total         INTEGER NOT NULL,
        failed        INTEGER NOT NULL,
        PRIMARY KEY (scope, key, license_state)
      ) WITHOUT ROWID;

      CREATE TABLE clients (
        cmid           TEXT PRIMARY KEY,
        machine_name   TEXT NOT NULL,
        address        TEXT NOT NULL,
        -- Distinct recent addresses, newest first, comma-separated, bounded.
        addresses      TEXT NOT NULL,
        product_id     TEXT NOT NULL,
        product_name   TEXT NOT NULL,
        application_id TEXT NOT NULL,
        license_state  INTEGER NOT NULL,
        is_vm          INTEGER NOT NULL,
        first_seen     INTEGER NOT NULL,
        last_seen      INTEGER NOT NULL,
        request_count  INTEGER NOT NULL,
        last_result    TEXT NOT NULL
      );
      -- One index per sortable column, ending in cmid so that every order is total and a window
      -- is read straight from the index.
      CREATE INDEX clients_by_machine_name ON clients (machine_name, cmid);
      CREATE INDEX clients_by_address ON clients (address, cmid);
      CREATE INDEX clients_by_product_name ON clients (product_name, cmid);
      CREATE INDEX clients_by_license_state ON clients (license_state, cmid);
      CREATE INDEX clients_by_is_vm ON clients (is_vm, cmid);
      CREATE INDEX clients_by_first_seen ON clients (first_seen, cmid);
      CREATE INDEX clients_by_last_seen ON clients (last_seen, cmid);
      CREATE INDEX clients_by_request_count ON clients (request_count, cmid);
      CREATE INDEX clients_by_last_result ON clients (last_result, cmid);

      -- Microsoft's event 12290 in Quorum's terms. AUTOINCREMENT keeps ids increasing after pruning.
      CREATE TABLE request_log (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        at                INTEGER NOT NULL,
        result            TEXT NOT NULL,
        count_needed      INTEGER NOT NULL,
        count             INTEGER NOT NULL,
        machine_name      TEXT NOT NULL,
        address           TEXT NOT NULL,
        cmid              TEXT NOT NULL,
        client_time       INTEGER NOT NULL,
        is_vm             INTEGER NOT NULL,
        license_state     INTEGER NOT NULL,
        remaining_minutes INTEGER NOT NULL,
        product_id        TEXT NOT NULL
      );
    `);
  },
};
