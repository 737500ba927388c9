/**
 * Turns SQLite failures into errors a person can act on. Every message names the database file,
 * because an admin with several data directories must know which one is at fault.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';

/** The subset of better-sqlite3's SqliteError we read. */
function sqliteCode(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

function detail(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * True when the -shm index says the write-ahead log has frames but the -wal file is gone or empty:
 * it was deleted or moved while a host had the database open (the host still writes to it).
 */
function walDeletedUnderHost(file: string, code: string): boolean {
  if (code !== 'SQLITE_IOERR_SHORT_READ') return false;
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return undefined;
    }
  };
  return size(`${file}-shm`) !== undefined && (size(`${file}-wal`) ?? 0) === 0;
}

/** Maps an error thrown while opening or using the database to a QuorumError naming `file`. */
export function storeError(file: string, e: unknown, doing: string): QuorumError {
  if (e instanceof QuorumError) return e;
  const code = sqliteCode(e) ?? '';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) {
    return new QuorumError(
      'STORE_LOCKED',
      `The database ${file} is locked by another process (${doing}).`,
      'Another Quorum host or a tool may be using this data directory: stop it, or use a different --data-dir.',
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_')) {
    return new QuorumError(
      'STORE_CORRUPT',
      `The database ${file} is damaged (${detail(e)}). Quorum did not change it.`,
      'Stop the host, keep a copy of the file, then restore the newest quorum.db.bak-* backup from the data directory (see docs/operations.md, "Data and storage").',
    );
  }
  if (
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_PERM' ||
    code === 'SQLITE_AUTH' ||
    code.startsWith('SQLITE_CANTOPEN_')
  ) {
    return new QuorumError(
      'STORE_UNREADABLE',
      `The database ${file} cannot be opened (${detail(e)}).`,
      'Check that the path is a file (not a directory), that its folder exists, and that this user may read and write both.',
    );
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) {
    return new QuorumError(
      'STORE_READONLY',
      `The database ${file} is read-only for this process (${doing}).`,
      'Give this user write permission on the file, its -wal and -shm files and their folder.',
    );
  }
  if (code === 'SQLITE_FULL') {
    return new QuorumError(
      'STORE_DISK_FULL',
      `The disk holding ${file} is full (${doing}).`,
      'Free space on that disk; nothing acknowledged has been lost.',
    );
  }
  if (walDeletedUnderHost(file, code)) {
    return new QuorumError(
      'STORE_IO_ERROR',
      `The database ${file} cannot be read (${doing}): its write-ahead log ${basename(file)}-wal was deleted or moved while a host had it open.`,
      'Stop that host cleanly (Ctrl-C or SIGTERM): it writes what it holds into quorum.db as it stops; then start it again. Never delete the -wal or -shm file of a database in use.',
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new QuorumError(
      'STORE_IO_ERROR',
      `Reading or writing ${file} failed at the operating-system level (${code}, ${doing}).`,
      'Check the disk and the file system (dmesg, SMART) before restarting the host.',
    );
  }
  return new QuorumError(
    'STORE_FAILED',
    `The database ${file} failed while ${doing}: ${detail(e)}`,
    'Report this with the message above; the database was not recreated.',
  );
}
