// An empty or cut-short quorum.db (a power loss, a full disk, an interrupted restore) is damage:
// the host must refuse it with the way out, and never start afresh over it (which would lose the
// inventory and the host key's activation without a word). A new database is made complete before
// it gets its name, so a crash while creating one cannot leave such a file either.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHost } from '../../../src-main/host/host-runtime.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activateDataDir } from '../../support/activated-host.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function failure(f: () => unknown): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await f();
  } catch (e) {
    return e as { code: string; message: string; hint?: string };
  }
  throw new Error('expected a failure');
}

describe('an empty or truncated quorum.db', () => {
  it('an empty quorum.db in an installed data directory: the host refuses to start and leaves it as it was', async () => {
    activateDataDir(tmp.dir);
    const file = databasePath(tmp.dir);
    writeFileSync(file, '');
    const err = await failure(() => startHost({ dataDir: tmp.dir, listen: [{ host: '127.0.0.1', port: 0 }] }));
    expect(err).toMatchObject({
      code: 'STORE_CORRUPT',
      message: `The database ${file} is damaged: it is empty (0 bytes). A power loss, a full disk or an interrupted copy or restore leaves a file like this. Quorum did not change it.`,
    });
    expect(err.hint).toContain('restore the newest backup');
    expect(statSync(file).size).toBe(0);
  });

  it('a quorum.db cut short: refused by the host and by readers, naming the sizes, and left as it was', async () => {
    const file = databasePath(tmp.dir);
    const s = openStore({ file });
    await Promise.all(Array.from({ length: 2000 }, (_, i) => s.commitActivation(activation({ n: i }))));
    s.close();
    const size = statSync(file).size;
    for (const cut of [Math.floor(size * 0.6), 4096 * 3, 50]) {
      truncateSync(file, cut);
      const before = sha256(file);
      for (const readonly of [false, true]) {
        const err = await failure(() => openStore({ file, readonly }).close());
        expect(err.code).toBe('STORE_CORRUPT');
        expect(err.message).toMatch(
          cut === 50
            ? /holds 50 bytes, less than an SQLite database's header/
            : /but its header says .* it was cut short/,
        );
        expect(err.hint).toMatch(/quorum\.db\.bak-\*/);
      }
      expect(sha256(file)).toBe(before);
    }
  });

  it('a new database is owner-only and complete when it appears; no temporary file is left', () => {
    const file = databasePath(tmp.dir);
    openStore({ file }).close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp.dir).sort()).toEqual(['quorum.db']);
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
  });
});
