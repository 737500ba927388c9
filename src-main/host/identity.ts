/**
 * The host's Ed25519 identity: every activation response is signed with it, and clients pin its
 * public key (docs/protocol.md, "Signatures and pinning"). The private key lives in the data
 * directory as PKCS#8 PEM, owner-only, created once and never replaced silently.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';

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
  sign(bytes: Uint8Array): Uint8Array;
}

/** The DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** The DER prefix of an SPKI Ed25519 public key; the 32 raw bytes follow it. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function fingerprintOf(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex');
}

export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 32).match(/.{4}/g) ?? []).join('-');
}

export function hostIdOf(fingerprint: string): string {
  return `QH-${(fingerprint.slice(0, 16).toUpperCase().match(/.{4}/g) ?? []).join('-')}`;
}

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.byteLength - 32));
}

function identityFromKey(privateKey: KeyObject): HostIdentity {
  const publicKey = rawPublicKey(privateKey);
  const fingerprint = fingerprintOf(publicKey);
  return {
    publicKey,
    fingerprint,
    fingerprintShort: shortFingerprint(fingerprint),
    hostId: hostIdOf(fingerprint),
    sign: (bytes) => new Uint8Array(sign(null, bytes, privateKey)),
  };
}

/** A deterministic identity from a 32-byte seed: for test vectors and tests, never for a real host. */
export function hostIdentityFromSeed(seed: Uint8Array): HostIdentity {
  if (seed.byteLength !== 32) throw new QuorumError('HOST_IDENTITY_SEED', 'An Ed25519 seed is 32 bytes.');
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  return identityFromKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

function damaged(file: string, why: string): QuorumError {
  return new QuorumError(
    'HOST_IDENTITY_DAMAGED',
    `The host identity key ${file} cannot be used: ${why}.`,
    'Restore it from a backup. Deleting it creates a new identity, and every client that pinned the old one will refuse this host.',
  );
}

/** Loads `<dataDir>/host-identity.pem`, creating it (mode 0600) on first use. */
export function loadOrCreateHostIdentity(dataDir: string): HostIdentity {
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
    return identityFromKey(key);
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const text = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  let fd: number;
  try {
    // 'wx' fails if another process created the key meanwhile; then its key wins and is loaded.
    fd = openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateHostIdentity(dataDir);
    throw new QuorumError(
      'HOST_IDENTITY_UNWRITABLE',
      `The host identity key cannot be created in ${dataDir} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      'Check that the data directory exists and is writable by the host.',
    );
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return identityFromKey(privateKey);
}

const publicKeyCache = new Map<string, KeyObject>();

function publicKeyObject(publicKey: Uint8Array): KeyObject | null {
  if (publicKey.byteLength !== 32) return null;
  const id = Buffer.from(publicKey).toString('hex');
  let key = publicKeyCache.get(id);
  if (!key) {
    try {
      key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    } catch {
      return null;
    }
    // Clients talk to a handful of hosts; the bound keeps a hostile peer from growing the cache.
    if (publicKeyCache.size >= 64) publicKeyCache.clear();
    publicKeyCache.set(id, key);
  }
  return key;
}

/** True when `signature` is a valid Ed25519 signature of `bytes` by `publicKey` (32 raw bytes). */
export function verifyHostSignature(publicKey: Uint8Array, bytes: Uint8Array, signature: Uint8Array): boolean {
  if (signature.byteLength !== 64) return false;
  const key = publicKeyObject(publicKey);
  if (!key) return false;
  try {
    return verify(null, bytes, key, signature);
  } catch {
    return false;
  }
}
