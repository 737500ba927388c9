/**
 * One running host per data directory. Two hosts on one directory would each keep the CMID table
 * and the counts in memory, restored from the same database, and each write its own view over the
 * other's: counts that no client could explain. The desktop app's single-instance lock does not
 * see `quorum serve`, so the host itself takes the lock.
 *
 * The lock is SQLite's exclusive lock on a small file of its own (host.lock), held by an open
 * connection in exclusive locking mode. The operating system drops it when the process ends in
 * any way, SIGKILL and power loss included, so a crash never leaves a stale lock to clear by hand.
 * Who holds it is written beside it (host.lock.json), for the error a second host gets.
 */
import Database from 'better-sqlite3';
import { sqliteOptions } from '../store/sqlite-binding.js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';
import { makePrivate, PRIVATE_MODE } from '../store/private-files.js';

export interface HostLock {
  release(): void;
}

interface Holder {
  pid: number;
  since: string;
}

export function acquireHostLock(dataDir: string, now: () => number = Date.now): HostLock {
  const file = join(dataDir, 'host.lock');
  const holderFile = `${file}.json`;
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0, ...sqliteOptions() });
  } catch (e) {
    throw new QuorumError(
      'HOST_LOCK_FAILED',
      `Cannot create the host lock ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      'The host needs to write in its data directory: check its owner and permissions.',
    );
  }
  try {
    // Its one row is worth no journal file (which would be made with the process's umask).
    db.pragma('journal_mode = MEMORY');
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in this locking mode it is kept after the commit.
    db.exec(
      'CREATE TABLE IF NOT EXISTS host_lock (taken INTEGER); DELETE FROM host_lock; INSERT INTO host_lock VALUES (1)',
    );
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw alreadyRunning(dataDir, holderFile);
    throw new QuorumError(
      'HOST_LOCK_FAILED',
      `Cannot take the host lock ${file} (${(e as Error).message}).`,
      'The host needs to write in its data directory: check its owner, permissions and free space.',
    );
  }
  const holder: Holder = { pid: process.pid, since: new Date(now()).toISOString() };
  try {
    makePrivate(file);
    writeFileSync(holderFile, `${JSON.stringify(holder)}\n`, { mode: PRIVATE_MODE });
  } catch {
    // Only the second host's message is poorer without it; the lock itself holds.
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      rmSync(holderFile, { force: true });
      db.close();
    },
  };
}

function alreadyRunning(dataDir: string, holderFile: string): QuorumError {
  let who = '';
  try {
    const h = JSON.parse(readFileSync(holderFile, 'utf8')) as Partial<Holder>;
    if (typeof h.pid === 'number') who = ` (process ${h.pid}, since ${String(h.since)})`;
  } catch {
    // Unknown holder: the message goes without it.
  }
  return new QuorumError(
    'HOST_ALREADY_RUNNING',
    `A Quorum host is already running on the data directory ${dataDir}${who}.`,
    'Use that host (quorum status shows it), or stop it first; two hosts on one directory would corrupt the counts.',
  );
}
