/**
 * Tables of the host key (host side) and of the embedded authority (issued keys and the activation
 * ledger). Every statement is idempotent, so it is both the body of the store migration
 * (migrations/003-host-keys.ts) and a guard run when a repository opens a database
 * whose migration list does not carry this step yet.
 */
import type { Database } from 'better-sqlite3';

export function upHostKeys(db: Database): void {
  db.exec(`
    -- This data directory's host installation id: what the authority counts as one host.
    CREATE TABLE IF NOT EXISTS host_installation (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      host_id    TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );

    -- The installed host key (at most one) and its activation state.
    -- state: 'installed' | 'activated'. Counts are as of the activation or confirmation.
    CREATE TABLE IF NOT EXISTS host_key (
      id                INTEGER PRIMARY KEY CHECK (id = 1),
      key_text          TEXT NOT NULL,
      family            TEXT NOT NULL,
      generation        INTEGER NOT NULL,
      installed_at      INTEGER NOT NULL,
      state             TEXT NOT NULL,
      method            TEXT,
      authority         TEXT,
      activated_at      INTEGER,
      hosts_used        INTEGER,
      activation_number INTEGER,
      pending_iid       TEXT
    );

    -- Keys this data directory's authority issued.
    CREATE TABLE IF NOT EXISTS authority_key (
      serial     INTEGER PRIMARY KEY,
      family     TEXT NOT NULL,
      generation INTEGER NOT NULL,
      last_five  TEXT NOT NULL,
      issued_at  INTEGER NOT NULL
    );

    -- The ledger: one row per granted activation. request_ref identifies an offline request, so
    -- confirming the same installation ID twice returns the same answer and counts once.
    CREATE TABLE IF NOT EXISTS authority_activation (
      id                INTEGER PRIMARY KEY AUTOINCREMENT,
      serial            INTEGER NOT NULL,
      host_id           TEXT NOT NULL,
      at                INTEGER NOT NULL,
      method            TEXT NOT NULL,
      hosts_used        INTEGER NOT NULL,
      activation_number INTEGER NOT NULL,
      request_ref       TEXT UNIQUE
    );
    CREATE INDEX IF NOT EXISTS authority_activation_by_key ON authority_activation (serial, host_id);
  `);
}
