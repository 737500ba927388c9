import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const anyWindow = { offset: 0, limit: 100, sort: { column: 'machineName', direction: 'asc' }, filter: {} } as const;

async function storeWithClients(file: string, n: number): Promise<void> {
  const s = openStore({ file });
  await Promise.all(Array.from({ length: n }, (_, i) => s.commitActivation(activation({ n: i, at: Date.now() }))));
  s.close();
}

describe('a damaged, locked or unreadable database', () => {
  it('a file that is not a database: STORE_CORRUPT naming the file, and the file is left as it was', () => {
    const file = databasePath(tmp.dir);
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const before = sha256(file);
    let err: unknown;
    try {
      openStore({ file });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(file) });
    expect((err as { hint: string }).hint).toMatch(/backup/);
    expect(sha256(file)).toBe(before);
    expect(statSync(file).size).toBe(8192);
  });

  it('damaged pages inside a real database: STORE_CORRUPT when they are read, never a silent empty table', async () => {
    const file = databasePath(tmp.dir);
    await storeWithClients(file, 2000);
    const size = statSync(file).size;
    // Keep page 1 (header and schema) intact, overwrite everything after it.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size - 4096, 0xa5), 0, size - 4096, 4096);
    closeSync(fd);
    const before = sha256(file);
    expect(() => {
      const s = openStore({ file });
      try {
        s.queryClients(anyWindow);
        s.exportClients('csv', () => {});
      } finally {
        s.close();
      }
    }).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT', message: expect.stringContaining(file) }));
    expect(sha256(file)).toBe(before);
  });

  it('a database another process holds exclusively: STORE_LOCKED after the busy timeout', async () => {
    const file = databasePath(tmp.dir);
    await storeWithClients(file, 3);
    const holder = new Database(file);
    try {
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('BEGIN EXCLUSIVE');
      holder.prepare("INSERT INTO settings VALUES ('held', '1')").run();
      expect(() => openStore({ file, busyTimeoutMs: 50 })).toThrow(
        expect.objectContaining({ code: 'STORE_LOCKED', message: expect.stringContaining(file) }),
      );
      holder.exec('COMMIT');
    } finally {
      holder.close();
    }
    const s = openStore({ file });
    expect(s.getSetting('held')).toBe('1');
    s.close();
  });

  it('writes blocked by another writer are rejected with STORE_LOCKED (one wait per batch); later ones succeed', async () => {
    const file = databasePath(tmp.dir);
    const s = openStore({ file, busyTimeoutMs: 50 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const blocked = await Promise.allSettled(
        [1, 3, 4].map((n) => s.commitActivation(activation({ n, at: Date.now() }))),
      );
      for (const r of blocked) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'STORE_LOCKED' } });
      expect(s.stats()).toMatchObject({ failedItems: 3 });
      other.exec('ROLLBACK');
      await s.commitActivation(activation({ n: 2, at: Date.now() }));
      expect(s.stats().clients).toBe(1);
    } finally {
      other.close();
      s.close();
    }
  });

  it('a directory where the file should be, or a missing folder: STORE_UNREADABLE', () => {
    const asDir = join(tmp.dir, 'quorum.db');
    mkdirSync(asDir);
    expect(() => openStore({ file: asDir })).toThrow(expect.objectContaining({ code: 'STORE_UNREADABLE' }));
    const missing = join(tmp.dir, 'no', 'such', 'quorum.db');
    expect(() => openStore({ file: missing })).toThrow(
      expect.objectContaining({ code: 'STORE_UNREADABLE', message: expect.stringContaining(missing) }),
    );
  });

  it('a read-only open of a missing database: STORE_NOT_FOUND, and no file is created', () => {
    const file = databasePath(tmp.dir);
    expect(() => openStore({ file, readonly: true })).toThrow(expect.objectContaining({ code: 'STORE_NOT_FOUND' }));
    expect(existsSync(file)).toBe(false);
  });

  it('a -wal deleted while a host holds the database: says so and how to recover, not "check the disk"', () => {
    const file = databasePath(tmp.dir);
    openStore({ file }).close();
    // The "host": a connection whose commits stay in the WAL.
    const host = new Database(file);
    try {
      host.pragma('wal_autocheckpoint = 0');
      host.prepare("INSERT INTO settings VALUES ('kept', '1')").run();
      rmSync(`${file}-wal`);
      let err: unknown;
      try {
        openStore({ file }).close();
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({
        code: 'STORE_IO_ERROR',
        message: expect.stringContaining(
          `${file} cannot be read (opening): its write-ahead log quorum.db-wal was deleted`,
        ),
        hint: expect.stringMatching(/^Stop that host cleanly/),
      });
    } finally {
      host.close();
    }
    // Stopping cleanly wrote the commit into quorum.db from the deleted file's open handle.
    const s = openStore({ file, readonly: true });
    expect(s.getSetting('kept')).toBe('1');
    s.close();
  });
});
