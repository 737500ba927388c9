/**
 * The data directory as a user may leave it: files separated (quorum.db without its -wal), an empty
 * file, a file where the directory should be, and files or folders this user may not write. Each
 * is refused with one line naming the path, and nothing is changed or deleted.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDataDir } from '../../../src-main/store/data-dir.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  chmodSync(tmp.dir, 0o700);
  tmp.cleanup();
});

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function failure(f: () => unknown): { code?: string; message?: string; hint?: string } {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string; hint: string };
  }
  throw new Error('expected a failure');
}

/** A database whose recent commits are still in quorum.db-wal, as a running host leaves it. */
async function databaseWithWal(dir: string): Promise<{ file: string; wal: string }> {
  const file = databasePath(dir);
  const s = openStore({ file });
  await Promise.all(Array.from({ length: 50 }, (_, n) => s.commitActivation(activation({ n, at: Date.now() }))));
  // Copy while open: the copy's -wal holds commits that quorum.db does not.
  const copyDir = join(dir, 'copy');
  ensureDataDir(copyDir);
  for (const suffix of ['', '-wal']) copyFileSync(`${file}${suffix}`, `${databasePath(copyDir)}${suffix}`);
  s.close();
  return { file: databasePath(copyDir), wal: `${databasePath(copyDir)}-wal` };
}

describe('a data directory whose files were separated or emptied', () => {
  it('an empty quorum.db beside a -wal with data: refused, read-only or not, and the -wal is kept', async () => {
    const { file, wal } = await databaseWithWal(tmp.dir);
    expect(statSync(wal).size).toBeGreaterThan(0);
    writeFileSync(file, '');
    const walHash = sha256(wal);
    for (const readonly of [true, false]) {
      const err = failure(() => openStore({ file, readonly }).close());
      expect(err).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(file) });
      expect(err.message).toMatch(/empty \(0 bytes\).*quorum\.db-wal holds/);
      expect(err.hint).toMatch(/together/);
      expect(sha256(wal)).toBe(walHash);
      expect(statSync(file).size).toBe(0);
    }
  });

  it('a missing quorum.db beside a -wal with data: the host does not start afresh over it', async () => {
    const { file, wal } = await databaseWithWal(tmp.dir);
    const walHash = sha256(wal);
    rmSync(file);
    const err = failure(() => openStore({ file }).close());
    expect(err).toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining('is missing') });
    expect(existsSync(file)).toBe(false);
    expect(sha256(wal)).toBe(walHash);
  });

  it('an empty quorum.db alone: refused as damaged by a reader and by the host, with the way out, and left as it was', () => {
    const file = databasePath(tmp.dir);
    writeFileSync(file, '');
    for (const readonly of [true, false]) {
      expect(failure(() => openStore({ file, readonly }))).toMatchObject({
        code: 'STORE_CORRUPT',
        message: expect.stringContaining('is damaged: it is empty (0 bytes)'),
        hint: expect.stringMatching(/restore the newest backup .*move quorum\.db away/),
      });
    }
    expect(statSync(file).size).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('a file where the data directory should be: named as such, for the store and for the CLI', () => {
    const notDir = join(tmp.dir, 'office-host');
    writeFileSync(notDir, 'hello');
    expect(failure(() => openStore({ file: databasePath(notDir), readonly: true }))).toMatchObject({
      code: 'STORE_UNREADABLE',
      message: `The data directory ${notDir} is a file, not a directory.`,
    });
    expect(failure(() => openStore({ file: databasePath(join(notDir, 'sub')) }))).toMatchObject({
      code: 'STORE_UNREADABLE',
      message: expect.stringContaining('part of that path is a file'),
    });
    expect(failure(() => ensureDataDir(notDir))).toMatchObject({
      code: 'DATA_DIR_INVALID',
      message: expect.stringContaining(`${notDir} cannot be used: it is a file`),
    });
    expect(readFileSync(notDir, 'utf8')).toBe('hello');
  });
});

// Permissions do not bind root: as root, the CLI runs without the capabilities that let root
// ignore file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the modes bind it as they would a
// service user. (Not as another user: the checkout may sit in a folder only root may enter.)
const asRoot = process.getuid?.() === 0;
function quorumAsUser(args: string[]): { code: number | null; stderr: string } {
  const [cmd, pre] = asRoot
    ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', 'node']]
    : ['node', []];
  try {
    execFileSync(cmd, [...pre, 'bin/quorum.js', ...args], { encoding: 'utf8', stdio: 'pipe', timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (e) {
    const err = e as { status: number | null; stderr: string };
    return { code: err.status, stderr: err.stderr };
  }
}

describe.skipIf(process.platform === 'win32')('files and folders this user may not write', () => {
  async function ownedDataDir(): Promise<string> {
    const dir = join(tmp.dir, 'host');
    ensureDataDir(dir);
    const s = openStore({ file: databasePath(dir) });
    await s.commitActivation(activation({ n: 1, at: Date.now() }));
    s.close();
    return dir;
  }

  it('a read-only quorum.db: the host refuses to start (it would fail every activation); readers still read', async () => {
    const dir = await ownedDataDir();
    chmodSync(databasePath(dir), 0o444);
    const before = sha256(databasePath(dir));
    const serve = quorumAsUser([
      'serve',
      '--data-dir',
      dir,
      '--port',
      '0',
      '--listen',
      '127.0.0.1',
      '--console',
      'off',
    ]);
    expect(serve.code).toBe(1);
    expect(serve.stderr.trim().split('\n')).toHaveLength(1);
    expect(serve.stderr).toContain(`The database file ${databasePath(dir)} is read-only for`);
    expect(sha256(databasePath(dir))).toBe(before);
    const clients = quorumAsUser(['clients', '--data-dir', dir, '--json']);
    expect(clients).toMatchObject({ code: 0 });
  });

  it('a data directory this user may not read: says so, instead of "no database"', async () => {
    const dir = await ownedDataDir();
    chmodSync(dir, 0o000);
    try {
      for (const args of [
        ['clients'],
        ['status'],
        ['serve', '--port', '0', '--listen', '127.0.0.1', '--console', 'off'],
      ]) {
        const r = quorumAsUser([...args, '--data-dir', dir]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`The data directory ${dir} is not readable by`);
      }
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
