/**
 * The publish list's TSIG keys in the data directory: owner-only files for the CLI, sealed with
 * the keychain by the desktop app, plain ones sealed at the app's start, and a CLI that meets a
 * sealed key says what to do instead of calling the file damaged.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSealed, OWNER_ONLY_FILES } from '../../../src-main/store/secret-file.js';
import {
  keyDir,
  keyPath,
  loadZoneKey,
  readKeyFileArgument,
  saveZoneKey,
  sealZoneKeys,
} from '../../../src-main/dns/tsig-key-store.js';
import type { TsigKey } from '../../../src-main/dns/tsig.js';
import { testKeychain } from '../../support/test-keychain.js';

const key: TsigKey = { name: 'quorum-key', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 9) };
const other: TsigKey = { name: 'branch-key', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 4) };
const dataDir = () => mkdtempSync(join(tmpdir(), 'quorum-keys-'));

describe('TSIG key files', () => {
  it('the CLI keeps an owner-only key file in a 0700 folder', async () => {
    const dir = dataDir();
    await saveZoneKey(dir, 'office.test', key);
    expect(readFileSync(keyPath(dir, 'office.test'), 'utf8')).toContain('algorithm hmac-sha256');
    if (process.platform !== 'win32') {
      expect(statSync(keyDir(dir)).mode & 0o777).toBe(0o700);
      expect(statSync(keyPath(dir, 'office.test')).mode & 0o777).toBe(0o600);
    }
    expect(await loadZoneKey(dir, 'office.test')).toEqual(key);
  });

  it('the app seals it, and only its keychain reads it back', async () => {
    const dir = dataDir();
    const keychain = testKeychain();
    await saveZoneKey(dir, 'office.test', key, keychain);
    const bytes = readFileSync(keyPath(dir, 'office.test'));
    expect(isSealed(bytes)).toBe(true);
    expect(bytes.toString('latin1')).not.toContain(key.secret.toString('base64'));
    expect(await loadZoneKey(dir, 'office.test', keychain)).toEqual(key);

    await expect(loadZoneKey(dir, 'office.test', OWNER_ONLY_FILES)).rejects.toMatchObject({
      code: 'DNS_KEY_SEALED',
      message: expect.stringContaining("sealed with the desktop app's OS keychain"),
      hint: expect.stringContaining('quorum dns withdraw --zone office.test --tsig-key FILE'),
    });
    await expect(loadZoneKey(dir, 'office.test', testKeychain())).rejects.toMatchObject({
      code: 'DNS_KEY_UNSEALABLE',
      hint: expect.stringContaining('Give the key again'),
    });
    // Named as --tsig-key by mistake, the sealed copy is told apart from a bad key file.
    expect(() => readKeyFileArgument(keyPath(dir, 'office.test'))).toThrow(
      expect.objectContaining({ code: 'DNS_KEY_SEALED' }),
    );
  });

  it("the app seals at its start the plain keys the CLI wrote, and the CLI's next key is plain again", async () => {
    const dir = dataDir();
    const keychain = testKeychain();
    await saveZoneKey(dir, 'office.test', key);
    await saveZoneKey(dir, 'branch.test', other);
    expect(await sealZoneKeys(dir, keychain)).toEqual(['branch.test', 'office.test']);
    expect(isSealed(readFileSync(keyPath(dir, 'office.test')))).toBe(true);
    expect(await loadZoneKey(dir, 'office.test', keychain)).toEqual(key);
    expect(await loadZoneKey(dir, 'branch.test', keychain)).toEqual(other);
    expect(await sealZoneKeys(dir, keychain)).toEqual([]);

    // `quorum dns publish --tsig-key FILE` replaces the sealed copy with a file it can read.
    await saveZoneKey(dir, 'office.test', other);
    expect(await loadZoneKey(dir, 'office.test')).toEqual(other);
    expect(await loadZoneKey(dir, 'office.test', keychain)).toEqual(other);
    expect(await sealZoneKeys(dir, keychain)).toEqual(['office.test']);
  });

  it('nothing to seal: no folder yet, or no keychain', async () => {
    const dir = dataDir();
    expect(await sealZoneKeys(dir, testKeychain())).toEqual([]);
    await saveZoneKey(dir, 'office.test', key);
    expect(await sealZoneKeys(dir, OWNER_ONLY_FILES)).toEqual([]);
    expect(isSealed(readFileSync(keyPath(dir, 'office.test')))).toBe(false);
  });
});
