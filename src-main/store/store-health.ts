/**
 * Whether the store can record activations now, as the host's readiness reads it. Two things make
 * it unable to:
 *
 * - A commit failed as a whole (read-only file system, full disk, I/O error, lock): every
 *   activation fails alike until a commit succeeds again. While that lasts, `probe` tries a
 *   one-page write so that the host becomes ready again by itself once the disk is back, even
 *   when no client is asking.
 * - The write-ahead log was deleted or replaced under the running host. SQLite keeps writing to
 *   the deleted file through its open descriptor, so commits still "succeed", but a killed process
 *   would lose them all: the next open finds no -wal. The log's identity (device and inode) is
 *   checked after each commit and by `probe`; when it changed, what was committed is copied into
 *   quorum.db at once (a checkpoint through the open descriptor), and further commits are refused
 *   until the host is restarted (which makes a new -wal). Nothing acknowledged is lost.
 */
import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';

export interface StoreProblem {
  error: QuorumError;
  since: number;
}

function walIdentity(file: string): string | null {
  try {
    const s = statSync(`${file}-wal`, { bigint: true });
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

export class StoreHealth {
  readonly #db: Database;
  readonly #file: string;
  readonly #now: () => number;
  readonly #changed: (problem: QuorumError | null) => void;
  readonly #walId: string | null;
  #commitFault: StoreProblem | null = null;
  #walLost: StoreProblem | null = null;

  constructor(db: Database, file: string, now: () => number, changed: (problem: QuorumError | null) => void) {
    this.#db = db;
    this.#file = file;
    this.#now = now;
    this.#changed = changed;
    // Null for a database without a -wal of its own (in memory): nothing to watch.
    this.#walId = db.memory ? null : walIdentity(file);
  }

  /** What stops activations from being recorded, or null. */
  get problem(): StoreProblem | null {
    return this.#walLost ?? this.#commitFault;
  }

  /** Throws the reason commits are refused (the -wal was lost); called before each write. */
  assertWritable(): void {
    if (this.#walLost) throw this.#walLost.error;
  }

  committed(): void {
    this.checkWal();
    if (this.#commitFault && !this.#walLost) {
      this.#commitFault = null;
      this.#changed(null);
    }
  }

  commitFailed(error: QuorumError): void {
    if (this.#walLost) return;
    const first = this.#commitFault === null || this.#commitFault.error.message !== error.message;
    this.#commitFault = { error, since: this.#commitFault?.since ?? this.#now() };
    if (first) this.#changed(error);
  }

  /** Checks the -wal is still the file SQLite writes to; true when it is. */
  checkWal(): boolean {
    if (this.#walId === null) return true;
    if (this.#walLost) return false;
    if (walIdentity(this.#file) === this.#walId) return true;
    let saved: string;
    try {
      const r = this.#db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      saved =
        r[0]?.busy === 0
          ? 'Every activation acknowledged so far was copied into the database file.'
          : 'Copying the acknowledged activations into the database file was blocked by a reader; it is retried.';
    } catch (e) {
      saved = `Copying the acknowledged activations into the database file failed (${e instanceof Error ? e.message : String(e)}); do not kill the host: stop it with Ctrl-C or SIGTERM.`;
    }
    const name = basename(this.#file);
    this.#walLost = {
      since: this.#now(),
      error: new QuorumError(
        'STORE_WAL_LOST',
        `The write-ahead log ${name}-wal was deleted or replaced while the host was running. ${saved} The host records no more activations until it is restarted.`,
        `Restart the host (quorum serve) cleanly with Ctrl-C or SIGTERM so it makes a new ${name}-wal; never delete the -wal or -shm file of a database in use.`,
      ),
    };
    this.#changed(this.#walLost.error);
    return false;
  }

  /**
   * Re-checks a failing store: the -wal, a lost log's checkpoint, and one small real write (the
   * schema version, rewritten unchanged) to see whether commits work again.
   */
  probe(schemaVersion: number): void {
    if (!this.checkWal()) {
      try {
        this.#db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Reported when it was lost; the restart it asks for is still the way out.
      }
      return;
    }
    if (!this.#commitFault) return;
    try {
      this.#db.transaction(() => this.#db.pragma(`user_version = ${schemaVersion}`)).immediate();
      this.committed();
    } catch {
      // Still failing: the first error stays the reason, with its time.
    }
  }
}
