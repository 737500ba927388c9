import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newClientState, readClientState, writeClientState } from '../../../src-main/client/state-file.js';
import { newLicenseRecord } from '../../../src-main/client/license-machine.js';
import { QuorumError } from '../../../shared/domain/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-client-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (e) {
    return e instanceof QuorumError ? e.code : 'not a QuorumError';
  }
}

describe('client state file', () => {
  it('does not exist yet: null', async () => {
    expect(await readClientState(join(dir, 'none.json'))).toBeNull();
  });

  it('round-trips, owner-only, through a missing folder, leaving no temp files', async () => {
    const file = join(dir, 'sub', 'state.json');
    const state = newClientState(1000);
    state.pins['h:1688'] = 'ab'.repeat(32);
    state.cachedHost = { host: 'h', port: 1688 };
    state.licenses['p'] = newLicenseRecord('p', 1000);
    await writeClientState(file, state);
    expect(await readClientState(file)).toEqual(state);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'sub'))).toEqual(['state.json']);
  });

  it('creates a random CMID per new state', () => {
    const a = newClientState(0).cmid;
    const b = newClientState(0).cmid;
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it('reports a damaged file with CLIENT_STATE_DAMAGED and leaves it untouched', async () => {
    const file = join(dir, 'state.json');
    for (const content of ['{not json', '{"version":1}', JSON.stringify({ ...newClientState(0), cmid: 'nope' })]) {
      await writeFile(file, content);
      expect(await codeOf(readClientState(file))).toBe('CLIENT_STATE_DAMAGED');
      expect(await readFile(file, 'utf8')).toBe(content);
    }
  });

  it('reports an unwritable place with CLIENT_STATE_UNWRITABLE', async () => {
    const blocker = join(dir, 'file');
    await writeFile(blocker, 'x');
    expect(await codeOf(writeClientState(join(blocker, 'state.json'), newClientState(0)))).toBe(
      'CLIENT_STATE_UNWRITABLE',
    );
  });

  it('a reader never sees a half-written file while writes race', async () => {
    const file = join(dir, 'state.json');
    const state = newClientState(0);
    await writeClientState(file, state);
    const writes = Array.from({ length: 20 }, (_, i) => {
      const s = { ...state, createdAt: i };
      return writeClientState(file, s);
    });
    const reads = Array.from({ length: 20 }, () => readClientState(file));
    await Promise.all(writes);
    for (const r of await Promise.all(reads)) expect(r?.cmid).toBe(state.cmid);
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});
