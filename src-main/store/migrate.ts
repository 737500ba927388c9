/**
 * Brings a database to this build's schema: refuses one written by a newer build (without touching
 * it), copies an existing database aside before changing it, then applies each pending step in its
 * own transaction.
 */
import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { QuorumError } from '../../shared/domain/errors.js';
import { MIGRATIONS, QUORUM_APPLICATION_ID, type Migration } from './migrations/index.js';

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration "${m.name}" has version ${m.version}; expected ${i + 1}.`);
  });
  return migrations.length;
}

export interface SchemaState {
  version: number;
  /** True when the file holds no tables yet (a new database). */
  empty: boolean;
}

/** Reads what the file is, and refuses what this build must not touch. Writes nothing. */
export function inspectSchema(db: Database, file: string, latest: number): SchemaState {
  const version = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
  if (appId !== QUORUM_APPLICATION_ID && (appId !== 0 || tables > 0)) {
    throw new QuorumError(
      'STORE_FOREIGN',
      `${file} is an SQLite database of another application, not a Quorum database. Quorum did not change it.`,
      'Point --data-dir at a Quorum data directory, or move that file away.',
    );
  }
  if (version > latest) {
    throw new QuorumError(
      'STORE_TOO_NEW',
      `The database ${file} has schema version ${version}, written by a newer Quorum; this build knows up to version ${latest}. Quorum did not change it.`,
      'Run the newer Quorum that wrote it, or restore a quorum.db.bak-* copy made by this version.',
    );
  }
  return { version, empty: tables === 0 };
}

/** `quorum.db.bak-v1-20260101T000000Z` next to the database. */
export function backupPath(file: string, version: number, at: number): string {
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let path = `${file}.bak-v${version}-${stamp}`;
  for (let n = 2; existsSync(path); n++) path = `${file}.bak-v${version}-${stamp}-${n}`;
  return path;
}

export interface MigrationReport {
  from: number;
  to: number;
  backup: string | null;
}

export function migrate(
  db: Database,
  file: string,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationReport {
  const latest = latestVersion(migrations);
  const state = inspectSchema(db, file, latest);
  if (state.version === latest) return { from: latest, to: latest, backup: null };
  let backup: string | null = null;
  if (!state.empty) {
    backup = backupPath(file, state.version, now);
    // VACUUM INTO writes a consistent, compact copy even while the WAL holds recent commits.
    db.prepare('VACUUM INTO ?').run(backup);
  }
  for (const m of migrations) {
    if (m.version <= state.version) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from: state.version, to: latest, backup };
}
