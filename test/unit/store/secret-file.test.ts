/**
 * Secret files kept two ways: plain owner-only files (the CLI, `quorum serve`) and files sealed
 * with a keychain (the desktop app). A sealed file is recognised by its header, so a plain one is
 * still read and then sealed in place, and a reader without the keychain gets a clear error, not
 * noise. A real cipher stands in for the OS keychain here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isSealed,
  OWNER_ONLY_FILES,
  readSecretFile,
  sealInPlace,
  SEALED_HEADER,
  writeSecretFile,
} from '../../../src-main/store/secret-file.js';
import { testKeychain } from '../../support/test-keychain.js';

const dir = () => mkdtempSync(join(tmpdir(), 'quorum-secret-'));
const SECRET =
  'key "quorum-key" {\n  algorithm hmac-sha256;\n  secret "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=";\n};\n';
const mode = (file: string) => statSync(file).mode & 0o777;

describe('secret files', () => {
  it('are written as they are, owner-only, by the CLI', async () => {
    const file = join(dir(), 'plain.key');
    expect(await writeSecretFile(file, SECRET, OWNER_ONLY_FILES)).toBe('written');
    expect(readFileSync(file, 'utf8')).toBe(SECRET);
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
    expect(await readSecretFile(file, OWNER_ONLY_FILES)).toEqual({ content: Buffer.from(SECRET), sealed: false });
  });

  it('are sealed by the keychain: a header line, then base64, and nothing of the secret', async () => {
    const keychain = testKeychain();
    const file = join(dir(), 'sealed.key');
    await writeSecretFile(file, SECRET, keychain);
    const text = readFileSync(file, 'latin1');
    expect(text.startsWith(SEALED_HEADER)).toBe(true);
    expect(SEALED_HEADER).toBe('quorum-sealed:os-keychain:1\n');
    expect(text.slice(SEALED_HEADER.length)).toMatch(/^[A-Za-z0-9+/]+={0,2}\n$/);
    expect(text).not.toContain('c2VjcmV0');
    expect(text).not.toContain('quorum-key');
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
    expect(isSealed(readFileSync(file))).toBe(true);
    expect(await readSecretFile(file, keychain)).toEqual({ content: Buffer.from(SECRET), sealed: true });
  });

  it('that are plain are still read by the keychain, and told apart', async () => {
    const file = join(dir(), 'old.key');
    writeFileSync(file, SECRET, { mode: 0o600 });
    expect(isSealed(readFileSync(file))).toBe(false);
    expect(await readSecretFile(file, testKeychain())).toEqual({ content: Buffer.from(SECRET), sealed: false });
  });

  it('that are sealed give the CLI a clear error, not the sealed bytes', async () => {
    const file = join(dir(), 'app.key');
    await writeSecretFile(file, SECRET, testKeychain());
    await expect(readSecretFile(file, OWNER_ONLY_FILES)).rejects.toMatchObject({
      code: 'SECRET_SEALED',
      message: expect.stringContaining(`${file} is sealed with the desktop app's OS keychain`),
    });
  });

  it('sealed under another keychain (a reset one, another machine) cannot be opened, and say so', async () => {
    const file = join(dir(), 'moved.key');
    await writeSecretFile(file, SECRET, testKeychain());
    await expect(readSecretFile(file, testKeychain())).rejects.toMatchObject({
      code: 'SECRET_UNSEALABLE',
      message: expect.stringContaining('the test keychain cannot open it'),
    });
    writeFileSync(file, `${SEALED_HEADER}not base64 at all!\n`);
    await expect(readSecretFile(file, testKeychain())).rejects.toMatchObject({ code: 'SECRET_UNSEALABLE' });
  });

  it('keep an existing file when written exclusively', async () => {
    const file = join(dir(), 'once.key');
    await writeSecretFile(file, SECRET, testKeychain());
    expect(await writeSecretFile(file, 'other', testKeychain(), { exclusive: true })).toBe('exists');
  });
});

describe('sealing a plain secret in place (the app at its start)', () => {
  it('seals a plain file once, keeping its content, and leaves missing and sealed files alone', async () => {
    const keychain = testKeychain();
    const d = dir();
    const file = join(d, 'cli.key');
    writeFileSync(file, SECRET, { mode: 0o644 });
    expect(await sealInPlace(file, keychain)).toBe(true);
    expect(isSealed(readFileSync(file))).toBe(true);
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
    expect((await readSecretFile(file, keychain)).content.toString()).toBe(SECRET);
    const sealedOnce = readFileSync(file);
    expect(await sealInPlace(file, keychain)).toBe(false);
    expect(readFileSync(file)).toEqual(sealedOnce);
    expect(await sealInPlace(join(d, 'absent.key'), keychain)).toBe(false);
  });

  it('does nothing without a keychain', async () => {
    const file = join(dir(), 'cli.key');
    writeFileSync(file, SECRET);
    expect(await sealInPlace(file, OWNER_ONLY_FILES)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(SECRET);
  });

  it('leaves a file that changed while it was being sealed (the CLI gave a new key meanwhile)', async () => {
    const file = join(dir(), 'race.key');
    writeFileSync(file, SECRET);
    const keychain = testKeychain(randomBytes(32), () => writeFileSync(file, 'the newer key\n'));
    expect(await sealInPlace(file, keychain)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('the newer key\n');
  });
});
