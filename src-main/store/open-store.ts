/**
 * Opens the host database: refuses what must not be touched (a newer schema, a foreign or damaged
 * file) before writing a byte, then sets WAL, migrates with a backup, and returns the store.
 * An existing file is never recreated or replaced.
 */
import Database from 'better-sqlite3';
import { sqliteOptions } from './sqlite-binding.js';
import { accessSync, constants as fsConstants, existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { ProductCatalog } from '../../shared/domain/products.js';
import { inspectSchema, latestVersion, migrate, type MigrationReport } from './migrate.js';
import { DEFAULT_RETENTION, RETENTION_BOUNDS, type RetentionOptions } from './request-log.js';
import { SqliteStore } from './sqlite-store.js';

/** The most of the database file mapped into memory (SQLite caps it at its build's limit). */
const MMAP_BYTES = 2 ** 31;
import { storeError } from './store-errors.js';
import { checkDatabaseLength, createDatabaseFile } from './database-file.js';
import { makePrivate } from './private-files.js';

export { SqliteStore } from './sqlite-store.js';
export type { ExportFormat } from './export.js';

export const DATABASE_FILE = 'quorum.db';

/** Settings keys that configure request-log retention when openStore is not told. */
export const RETENTION_SETTINGS = { maxAgeDays: 'requestLog.maxAgeDays', maxRows: 'requestLog.maxRows' } as const;

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

export interface OpenStoreOptions {
  file: string;
  readonly?: boolean;
  clock?: Clock;
  retention?: RetentionOptions;
  /** Gives client rows their product names. Defaults to the built-in catalogue. */
  catalog?: ProductCatalog;
  /** Most activations per transaction (default 1000). 1 gives one transaction per activation. */
  maxBatch?: number;
  /** How long to wait for another process's lock before STORE_LOCKED (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Told about faults of the journal's background apply (retried; nothing is lost), e.g. to log them. */
  onJournalError?: (e: QuorumError) => void;
  /** Called when the schema was upgraded, e.g. to log the backup's path. */
  onMigrated?: (report: MigrationReport) => void;
  /**
   * Told about a stored retention setting that is not applied (not a whole number, or out of
   * range), e.g. to log it; the default applies. Default: a process warning on stderr.
   */
  onSettingIgnored?: (e: QuorumError) => void;
  /** Told when recording activations starts failing (with why) and when it works again (null). */
  onHealthChange?: (problem: QuorumError | null) => void;
}

const systemClock: Clock = { now: () => Date.now() };

/** The size of `path`, or undefined when it does not exist; other failures are thrown. */
function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function mayAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function whoAmI(): string {
  try {
    return `the user ${userInfo().username}`;
  } catch {
    return 'this user';
  }
}

function checkFolder(file: string, readonly: boolean): void {
  const dir = dirname(file);
  let stat;
  try {
    stat = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new QuorumError(
        'STORE_UNREADABLE',
        `The folder of the database ${file} does not exist.`,
        'Check --data-dir (or QUORUM_DATA_DIR); the data directory is created by the host when it first starts.',
      );
    }
    if (code === 'ENOTDIR') {
      throw new QuorumError(
        'STORE_UNREADABLE',
        `The data directory ${dir} is not a directory: part of that path is a file.`,
        'Check --data-dir (or QUORUM_DATA_DIR): it must name a directory.',
      );
    }
    throw new QuorumError(
      'STORE_UNREADABLE',
      `The data directory ${dir} cannot be read (${code ?? String(e)}).`,
      `Give ${whoAmI()} access to that directory, or choose another --data-dir.`,
    );
  }
  if (!stat.isDirectory()) {
    throw new QuorumError(
      'STORE_UNREADABLE',
      `The data directory ${dir} is a file, not a directory.`,
      'Check --data-dir (or QUORUM_DATA_DIR): it must name a directory, e.g. ./office-host.',
    );
  }
  // Without these, "no database" or "cannot open" would hide that the folder is out of reach.
  if (!mayAccess(dir, fsConstants.R_OK | fsConstants.X_OK)) {
    throw new QuorumError(
      'STORE_UNREADABLE',
      `The data directory ${dir} is not readable by ${whoAmI()}.`,
      'Run Quorum as the user that owns the data directory, or give this user read and write access to it.',
    );
  }
  if (!readonly && !mayAccess(dir, fsConstants.W_OK)) {
    throw new QuorumError(
      'STORE_READONLY',
      `The data directory ${dir} is read-only for ${whoAmI()}; Quorum must create ${basename(file)}-wal and -shm there.`,
      'Run Quorum as the user that owns the data directory, or give this user write access to it.',
    );
  }
}

/**
 * The checks made before SQLite opens the file (which would create, or even delete, files): the
 * folder, the database and its -wal and -shm exist as they must and may be read (and written).
 */
export function checkPath(file: string, readonly: boolean): void {
  checkFolder(file, readonly);
  const size = sizeOf(file);
  const walSize = sizeOf(`${file}-wal`) ?? 0;
  // SQLite deletes the write-ahead log of a database it finds empty or missing, even on a read-only
  // open: the commits in it would be lost for good. Such a log means the files were separated.
  if ((size === undefined || size === 0) && walSize > 0) {
    throw new QuorumError(
      'STORE_CORRUPT',
      `The database ${file} is ${size === undefined ? 'missing' : 'empty (0 bytes)'} but its write-ahead log ${basename(file)}-wal holds ${walSize.toLocaleString('en-US')} bytes of it. Quorum did not change either file.`,
      `Put back the ${basename(file)} that belongs with that -wal file (copy or move the three files quorum.db, -wal and -shm together), or restore a backup; only to start afresh, move the -wal and -shm files away.`,
    );
  }
  if (size === undefined) {
    if (readonly) {
      throw new QuorumError(
        'STORE_NOT_FOUND',
        `There is no Quorum database at ${file}.`,
        'Check --data-dir (or QUORUM_DATA_DIR); the host creates the database when it first starts (quorum serve).',
      );
    }
    return;
  }
  if (statSync(file).isDirectory()) {
    throw new QuorumError(
      'STORE_UNREADABLE',
      `${file} is a directory, not a database file.`,
      'Move that directory away or choose another --data-dir.',
    );
  }
  if (!mayAccess(file, fsConstants.R_OK)) {
    throw new QuorumError(
      'STORE_UNREADABLE',
      `The database ${file} is not readable by ${whoAmI()}.`,
      'Run Quorum as the user that owns the data directory, or give this user read and write access to the file.',
    );
  }
  checkDatabaseLength(file, size);
  if (readonly) return;
  // SQLite would open a file it may not write read-only without a word: the host would start and
  // then fail every activation. Its -wal and -shm files count too (e.g. left by a run as root).
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f) && !mayAccess(f, fsConstants.R_OK | fsConstants.W_OK)) {
      throw new QuorumError(
        'STORE_READONLY',
        `The database file ${f} is read-only for ${whoAmI()}.`,
        `Run Quorum as the user that owns the data directory, or give this user write access to ${basename(file)} and its -wal and -shm files.`,
      );
    }
  }
}

function positiveInt(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1) {
    throw new QuorumError('STORE_BAD_SETTING', `Retention ${name} must be a whole number >= 1; got ${v}.`);
  }
  return v;
}

/**
 * A stored retention setting, or undefined (the default applies) when it is absent or bad. A bad
 * value must not stop the host, nor `quorum settings set`, the command that corrects it.
 */
function retentionSetting(
  db: Database.Database,
  name: keyof typeof RETENTION_SETTINGS,
  ignored: (e: QuorumError) => void,
): number | undefined {
  const key = RETENTION_SETTINGS[name];
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: unknown } | undefined;
  if (!row) return undefined;
  const { min, max } = RETENTION_BOUNDS[name];
  const n = typeof row.value === 'string' && /^\d+$/.test(row.value.trim()) ? Number(row.value) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
  ignored(
    new QuorumError(
      'STORE_BAD_SETTING',
      `The setting ${key} is "${String(row.value)}"; it must be a whole number from ${min} to ${max}. The default, ${DEFAULT_RETENTION[name]}, applies instead.`,
      `Correct it with: quorum settings set ${name === 'maxAgeDays' ? 'request-log-max-age' : 'request-log-max-rows'} VALUE (or default).`,
    ),
  );
  return undefined;
}

function warn(e: QuorumError): void {
  process.emitWarning(`${e.message} ${e.hint ?? ''}`.trim(), { code: e.code });
}

export function openStore(options: OpenStoreOptions): SqliteStore {
  const { file } = options;
  const readonly = options.readonly ?? false;
  const clock = options.clock ?? systemClock;
  const latest = latestVersion();
  checkPath(file, readonly);
  let db: Database.Database;
  try {
    if (!readonly && !existsSync(file)) createDatabaseFile(file);
    db = new Database(file, {
      readonly,
      fileMustExist: readonly,
      timeout: options.busyTimeoutMs ?? 5000,
      ...sqliteOptions(),
    });
  } catch (e) {
    throw storeError(file, e, 'opening');
  }
  try {
    // Read-only checks first: a refused file must be left exactly as it was.
    const state = inspectSchema(db, file, latest);
    let version = state.version;
    if (readonly) {
      if (version < latest) {
        throw new QuorumError(
          'STORE_NEEDS_UPGRADE',
          `The database ${file} has schema version ${version}; this build reads version ${latest}.`,
          'Start the host once (quorum serve) so it upgrades the database, then retry.',
        );
      }
    } else {
      // WAL: readers (the console, `quorum clients`) never block the writer. synchronous=NORMAL:
      // a commit is in the WAL before commitActivation resolves, so it survives a killed process;
      // only a power loss may drop the last commits (docs/operations.md, "Data and storage").
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // SQLite makes the -wal and -shm with the database's mode; files left by older builds are fixed here.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) makePrivate(f);
      const report = migrate(db, file, clock.now());
      version = report.to;
      if (report.from !== report.to) options.onMigrated?.(report);
    }
    db.pragma('cache_size = -32000');
    // Reads of rows by rowid (a text filter tests the name or address of each candidate) cost
    // ~4.5 µs through read() and half that mapped: a million clients is ~1.2 GB, read at random.
    // The pages are the OS's file cache, not this process's heap. The cost: an I/O error while
    // reading a mapped page stops the process instead of failing the one statement; committed
    // activations are in the WAL either way (docs/operations.md, "Data and storage").
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    // Only a writer prunes; a reader neither needs nor judges the stored values.
    const stored = (name: keyof typeof RETENTION_SETTINGS) =>
      readonly ? undefined : retentionSetting(db, name, options.onSettingIgnored ?? warn);
    const retention = {
      maxAgeDays:
        positiveInt('maxAgeDays', options.retention?.maxAgeDays) ??
        stored('maxAgeDays') ??
        DEFAULT_RETENTION.maxAgeDays,
      maxRows: positiveInt('maxRows', options.retention?.maxRows) ?? stored('maxRows') ?? DEFAULT_RETENTION.maxRows,
    };
    return new SqliteStore({
      db,
      file,
      readonly,
      clock,
      catalog: options.catalog ?? new ProductCatalog(),
      retention,
      maxBatch: options.maxBatch ?? 1000,
      schemaVersion: version,
      onJournalError: options.onJournalError,
      onHealthChange: options.onHealthChange,
    });
  } catch (e) {
    db.close();
    throw storeError(file, e, 'opening');
  }
}
