/**
 * The database file as a whole: a new one is made complete under a temporary name and then linked
 * into place, so that an existing quorum.db is always a database some host finished creating. An
 * empty or truncated quorum.db is therefore damage (a power loss, a full disk, a failed copy or
 * restore), and it is refused like any damaged file, never replaced by a fresh empty database:
 * that would throw away the inventory and the host key's activation without a word.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { QuorumError } from '../../shared/domain/errors.js';
import { makePrivate, placeExclusively, syncDirectory } from './private-files.js';

const HEADER_BYTES = 100;
const MAGIC = 'SQLite format 3\0';

function damaged(file: string, what: string): QuorumError {
  const name = basename(file);
  return new QuorumError(
    'STORE_CORRUPT',
    `The database ${file} is damaged: ${what}. A power loss, a full disk or an interrupted copy or restore leaves a file like this. Quorum did not change it.`,
    `Stop the host and restore the newest backup (a ${name}.bak-* copy in the data directory, or your own backup of ${name} with its -wal file). Only to start afresh, with no inventory and no host key, move ${name} away.`,
  );
}

/**
 * Refuses a database file that is empty, or shorter than its own header says. `size` is its size
 * in bytes (> 0 checked here too). A file that is not an SQLite database at all is left to SQLite
 * (STORE_CORRUPT or STORE_FOREIGN with its own words).
 */
export function checkDatabaseLength(file: string, size: number): void {
  if (size === 0) throw damaged(file, 'it is empty (0 bytes)');
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (read < HEADER_BYTES) {
    const n = Math.min(read, MAGIC.length);
    if (header.toString('latin1', 0, n) === MAGIC.slice(0, n)) {
      throw damaged(file, `it holds ${size} bytes, less than an SQLite database's header`);
    }
    return;
  }
  if (header.toString('latin1', 0, 16) !== MAGIC) return;
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The page count is only kept up to date when these two counters agree (SQLite's file format, 1.3.7).
  const countValid = header.readUInt32BE(24) === header.readUInt32BE(92);
  const expected = pageSize * pages;
  if (countValid && pages > 0 && size < expected) {
    throw damaged(
      file,
      `it holds ${size.toLocaleString('en-US')} bytes, but its header says ${pages.toLocaleString('en-US')} pages of ${pageSize} bytes (${expected.toLocaleString('en-US')} bytes): it was cut short`,
    );
  }
}

/**
 * Makes a new, empty database at `file` (WAL mode, owner-only): complete before it gets its name,
 * so that no crash leaves a quorum.db a later start would have to guess about. If another process
 * created `file` meanwhile, that one is kept.
 */
export function createDatabaseFile(file: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.new`);
  try {
    const db = new Database(temp);
    try {
      // Writes the first page (the header says WAL from now on); FULL syncs it before close returns.
      db.pragma('synchronous = FULL');
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    makePrivate(temp);
    // If another process created the database meanwhile, that one is kept.
    if (placeExclusively(temp, file)) syncDirectory(dirname(file));
  } finally {
    for (const f of [temp, `${temp}-wal`, `${temp}-shm`]) rmSync(f, { force: true });
  }
}
