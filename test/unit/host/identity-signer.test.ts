// Signing goes through libsodium when it loads, node:crypto otherwise. Ed25519 is deterministic, so
// the two must give the very same 64 bytes for the same key and message, and both must verify.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeResponseBody } from '../../../shared/protocol/qap-codec.js';
import { QapStatus } from '../../../shared/protocol/qap-types.js';
import {
  hostIdentityFromSeed,
  loadOrCreateHostIdentity,
  verifyHostSignature,
} from '../../../src-main/host/identity.js';

const seedOf = (i: number) => new Uint8Array(createHash('sha256').update(`seed ${i}`).digest());

function messages(identityKey: Uint8Array, hostId: string): Uint8Array[] {
  const body = encodeResponseBody({
    version: 1,
    status: QapStatus.Ok,
    hostPublicKey: identityKey,
    hostId,
    cmid: '6f1d2c3b-4a59-4e8f-9a7b-0c1d2e3f4a5b',
    nonce: new Uint8Array(16).fill(7),
    clientTime: 1_767_225_600_000,
    count: 25,
    threshold: 25,
    granted: true,
    activationIntervalMin: 120,
    renewalIntervalMin: 10_080,
    validityMin: 259_200,
    hostTime: 1_767_225_600_123,
  });
  return [new Uint8Array(0), new Uint8Array([0]), new Uint8Array(1000).fill(0xa5), body];
}

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('host identity signer', () => {
  it('uses libsodium on this machine (so the comparison below is not node:crypto against itself)', () => {
    expect(hostIdentityFromSeed(seedOf(0)).signer).toBe('libsodium');
    expect(hostIdentityFromSeed(seedOf(0), { signer: 'node:crypto' }).signer).toBe('node:crypto');
  });

  it('libsodium and node:crypto give the same 64 bytes for the same key and message, and both verify', () => {
    for (let i = 0; i < 8; i++) {
      const fast = hostIdentityFromSeed(seedOf(i));
      const fallback = hostIdentityFromSeed(seedOf(i), { signer: 'node:crypto' });
      expect(fast.publicKey).toEqual(fallback.publicKey);
      for (const message of messages(fast.publicKey, fast.hostId)) {
        const a = fast.sign(message);
        const b = fallback.sign(message);
        expect(a.byteLength).toBe(64);
        expect(Buffer.from(a).toString('hex')).toBe(Buffer.from(b).toString('hex'));
        expect(verifyHostSignature(fast.publicKey, message, a)).toBe(true);
        const tampered = a.slice();
        tampered[i % 64]! ^= 1;
        expect(verifyHostSignature(fast.publicKey, message, tampered)).toBe(false);
      }
    }
  });

  it('a key loaded from the data directory signs the same through either path', () => {
    dir = mkdtempSync(join(tmpdir(), 'quorum-signer-'));
    const created = loadOrCreateHostIdentity(dir);
    const fast = loadOrCreateHostIdentity(dir);
    const fallback = loadOrCreateHostIdentity(dir, { signer: 'node:crypto' });
    expect(fast.signer).toBe('libsodium');
    expect(fast.fingerprint).toBe(created.fingerprint);
    const [, , , body] = messages(fast.publicKey, fast.hostId);
    expect(fast.sign(body!)).toEqual(fallback.sign(body!));
    expect(created.sign(body!)).toEqual(fallback.sign(body!));
  });

  it('keeps key bytes out of what it exposes', () => {
    const seed = seedOf(3);
    const identity = hostIdentityFromSeed(seed);
    const text = JSON.stringify(identity);
    expect(text).not.toContain(Buffer.from(seed).toString('hex'));
    expect(Object.keys(identity).sort()).toEqual(
      ['fingerprint', 'fingerprintShort', 'hostId', 'publicKey', 'sign', 'signer'].sort(),
    );
  });

  it('without a loadable sodium-native it signs with node:crypto, the same bytes, and says so once', () => {
    const here = 'test/unit/host/fixtures';
    const child = spawnSync(
      process.execPath,
      ['--import', `./${here}/without-sodium.mjs`, 'bin/run-ts.js', `${here}/sign-with-fallback.ts`],
      { encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout) as { signers: string[]; lines: string[]; signature: string };
    expect(out.signers).toEqual(['node:crypto', 'node:crypto']);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/signing with node:crypto, not libsodium \(sodium-native did not load: /);
    const seed = new Uint8Array(32).fill(9);
    expect(out.lines[0]).not.toContain(Buffer.from(seed).toString('hex'));
    const inThisProcess = hostIdentityFromSeed(seed);
    expect(inThisProcess.signer).toBe('libsodium');
    expect(out.signature).toBe(Buffer.from(inThisProcess.sign(new TextEncoder().encode('fallback'))).toString('hex'));
  });
});
