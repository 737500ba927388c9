/**
 * Opens `<dataDir>/quorum.db` for the key and authority commands: the store's migrations bring it
 * to this build's schema (so the store accepts it afterwards), then the host-key tables are made
 * sure of, in case the store's migration list does not carry that step yet.
 */
import Database from 'better-sqlite3';
import { sqliteOptions } from '../store/sqlite-binding.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { migrate } from '../store/migrate.js';
import { storeError } from '../store/store-errors.js';
import { ensureDataDir } from '../store/data-dir.js';
import { upHostKeys } from '../store/host-key-schema.js';

export const DB_FILE = 'quorum.db';

export interface OpenOptions {
  /** Create the directory and database when missing (false for another installation's directory). */
  create: boolean;
}

/** A --data-dir that holds no quorum.db: most likely a typo, so it is named, never created. */
export function notADataDirectory(dataDir: string): QuorumError {
  return new QuorumError(
    'DATA_DIR_NOT_FOUND',
    `${dataDir} is not a Quorum data directory: it has no ${DB_FILE}.`,
    'Check --data-dir (or $QUORUM_DATA_DIR). A data directory gets its quorum.db from quorum authority issue, quorum key install or quorum serve.',
  );
}

export function openKeyDatabase(
  dataDir: string,
  clock: Clock,
  options: OpenOptions = { create: true },
): Database.Database {
  const file = join(dataDir, DB_FILE);
  if (options.create) ensureDataDir(dataDir);
  else if (!existsSync(file)) throw notADataDirectory(dataDir);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, sqliteOptions());
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    migrate(db, file, clock.now());
    ensureHostKeyTables(db);
    return db;
  } catch (e) {
    db?.close();
    throw storeError(file, e, 'opening the host key tables');
  }
}

/** Idempotent; cheap when the tables exist. */
export function ensureHostKeyTables(db: Database.Database): void {
  const row = db
    .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'host_key'")
    .get() as {
    n: number;
  };
  if (row.n === 0) db.transaction(() => upHostKeys(db)).immediate();
}
