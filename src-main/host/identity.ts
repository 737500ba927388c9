/**
 * The host's Ed25519 identity: every activation response is signed with it, and clients pin its
 * public key (docs/protocol.md, "Signatures and pinning"). The private key lives in the data
 * directory as PKCS#8 PEM, owner-only, created once and never replaced silently. The desktop app
 * does not seal it with the OS keychain (store/secret-file.ts): `quorum serve` must be able to take
 * over the app's data directory, and a backup must restore on another machine, or every client that
 * pinned the key refuses the host.
 *
 * Signing goes through libsodium (sodium-native) when its native module loads: node:crypto pays
 * OpenSSL's per-call setup (~65 us a signature here, ~35 us through libsodium). Ed25519 signatures
 * are deterministic, so both give the same bytes; node:crypto remains the fallback.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../store/private-files.js';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';
import { equalBytes } from '../../shared/protocol/bytes.js';
import { fingerprintOf, hostIdOf, shortFingerprint, verifyHostSignature } from '../client/host-key.js';

export { fingerprintOf, hostIdOf, shortFingerprint, verifyHostSignature };

export const HOST_IDENTITY_FILE = 'host-identity.pem';

export interface HostIdentity {
  /** Raw Ed25519 public key, 32 bytes. */
  publicKey: Uint8Array;
  /** SHA-256 of the public key, 64 lower-case hex characters: what clients pin. */
  fingerprint: string;
  /** The first 128 bits of the fingerprint in groups of four, for people to compare by eye. */
  fingerprintShort: string;
  /** ePID-like id derived from the key, e.g. "QH-3F2A-91C0-7D44-0E1B". */
  hostId: string;
  /** Which implementation signs: libsodium when its native module loaded, else node:crypto. */
  readonly signer: SignerName;
  sign(bytes: Uint8Array): Uint8Array;
}

export type SignerName = 'libsodium' | 'node:crypto';

export interface IdentityOptions {
  /** 'auto' (default) prefers libsodium; 'node:crypto' forces the fallback (tests compare the two). */
  signer?: 'auto' | 'node:crypto';
  /** Where to say, once per process, that signing fell back to node:crypto; default: a process warning. */
  log?: (line: string) => void;
}

/** The DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.byteLength - 32));
}

/** The part of sodium-native's API used here. */
interface Sodium {
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  sodium_malloc(size: number): Uint8Array;
  sodium_memzero(bytes: Uint8Array): void;
}

let sodium: Sodium | null | undefined;
let sodiumProblem = '';
let fallbackReported = false;

function loadSodium(): Sodium | null {
  if (sodium !== undefined) return sodium;
  try {
    const loaded = createRequire(import.meta.url)('sodium-native') as Partial<Sodium>;
    if (typeof loaded.crypto_sign_detached !== 'function' || typeof loaded.crypto_sign_seed_keypair !== 'function') {
      throw new Error('sodium-native lacks crypto_sign_detached');
    }
    sodium = loaded as Sodium;
  } catch (e) {
    sodium = null;
    // Only the loader's message: it names a file or a symbol, never key material.
    sodiumProblem = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
  return sodium;
}

function reportFallback(why: string, log: ((line: string) => void) | undefined): void {
  if (fallbackReported) return;
  fallbackReported = true;
  const line = `signing with node:crypto, not libsodium (${why}); replies are the same, each costs ~30 us more CPU`;
  if (log) log(line);
  else process.emitWarning(line, { code: 'QUORUM_SIGNING_FALLBACK' });
}

/** The 32-byte seed of an Ed25519 private key, read from its PKCS#8 DER; the DER copy is wiped. */
function seedOf(privateKey: KeyObject): Uint8Array | null {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    if (der.byteLength !== PKCS8_ED25519_PREFIX.byteLength + 32) return null;
    if (!der.subarray(0, PKCS8_ED25519_PREFIX.byteLength).equals(PKCS8_ED25519_PREFIX)) return null;
    return Uint8Array.from(der.subarray(PKCS8_ED25519_PREFIX.byteLength));
  } finally {
    der.fill(0);
  }
}

const SELF_TEST_MESSAGE = new TextEncoder().encode('quorum signer self-test');

/**
 * A libsodium signing function for `privateKey`, or the reason there is none. The secret key sits
 * in sodium_malloc'd memory (guarded, locked, zeroed when freed); the seed copy is wiped at once.
 * One signature is compared with node:crypto's first, so a broken native module cannot sign wrongly.
 */
function sodiumSigner(
  privateKey: KeyObject,
  publicKey: Uint8Array,
): { sign: (bytes: Uint8Array) => Uint8Array } | { problem: string } {
  const na = loadSodium();
  if (!na) return { problem: `sodium-native did not load: ${sodiumProblem}` };
  const seed = seedOf(privateKey);
  if (!seed) return { problem: 'the key is not a plain PKCS#8 Ed25519 key' };
  const secretKey = na.sodium_malloc(64);
  const derivedPublic = new Uint8Array(32);
  try {
    na.crypto_sign_seed_keypair(derivedPublic, secretKey, seed);
  } finally {
    na.sodium_memzero(seed);
  }
  const signWithSodium = (bytes: Uint8Array): Uint8Array => {
    const signature = new Uint8Array(64);
    na.crypto_sign_detached(signature, bytes, secretKey);
    return signature;
  };
  const expected = new Uint8Array(sign(null, SELF_TEST_MESSAGE, privateKey));
  if (!equalBytes(derivedPublic, publicKey) || !equalBytes(signWithSodium(SELF_TEST_MESSAGE), expected)) {
    na.sodium_memzero(secretKey);
    return { problem: 'libsodium and node:crypto disagree on a test signature' };
  }
  return { sign: signWithSodium };
}

function identityFromKey(privateKey: KeyObject, options: IdentityOptions = {}): HostIdentity {
  const publicKey = rawPublicKey(privateKey);
  const fingerprint = fingerprintOf(publicKey);
  const base = {
    publicKey,
    fingerprint,
    fingerprintShort: shortFingerprint(fingerprint),
    hostId: hostIdOf(fingerprint),
  };
  if (options.signer !== 'node:crypto') {
    const fast = sodiumSigner(privateKey, publicKey);
    if ('sign' in fast) return { ...base, signer: 'libsodium', sign: fast.sign };
    reportFallback(fast.problem, options.log);
  }
  return { ...base, signer: 'node:crypto', sign: (bytes) => new Uint8Array(sign(null, bytes, privateKey)) };
}

/** A deterministic identity from a 32-byte seed: for test vectors and tests, never for a real host. */
export function hostIdentityFromSeed(seed: Uint8Array, options?: IdentityOptions): HostIdentity {
  if (seed.byteLength !== 32) throw new QuorumError('HOST_IDENTITY_SEED', 'An Ed25519 seed is 32 bytes.');
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  try {
    return identityFromKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), options);
  } finally {
    der.fill(0);
  }
}

function damaged(file: string, why: string): QuorumError {
  return new QuorumError(
    'HOST_IDENTITY_DAMAGED',
    `The host identity key ${file} cannot be used: ${why}.`,
    'Restore it from a backup. Deleting it creates a new identity, and every client that pinned the old one will refuse this host.',
  );
}

/** Loads `<dataDir>/host-identity.pem`, creating it (mode 0600) on first use. */
export function loadOrCreateHostIdentity(dataDir: string, options?: IdentityOptions): HostIdentity {
  const file = join(dataDir, HOST_IDENTITY_FILE);
  let pem: string | null = null;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new QuorumError(
        'HOST_IDENTITY_UNREADABLE',
        `The host identity key ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
        'Check the data directory permissions: the host must be able to read its own key.',
      );
    }
  }
  if (pem !== null) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pem, format: 'pem' });
    } catch {
      throw damaged(file, 'it is not a PEM private key');
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw damaged(file, `it is a ${key.asymmetricKeyType ?? '?'} key, not Ed25519`);
    return identityFromKey(key, options);
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const text = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  let outcome: 'written' | 'exists';
  try {
    // Exclusive: if another process created the key meanwhile, its key wins and is loaded.
    outcome = writePrivateFile(file, text, { exclusive: true });
  } catch (e) {
    throw new QuorumError(
      'HOST_IDENTITY_UNWRITABLE',
      `The host identity key cannot be created in ${dataDir} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      'Check that the data directory exists and is writable by the host, and that its disk has free space.',
    );
  }
  if (outcome === 'exists') return loadOrCreateHostIdentity(dataDir, options);
  return identityFromKey(privateKey, options);
}
