/**
 * What a host's Ed25519 public key is known by (its fingerprint and host id) and the check of its
 * signature: used by clients to verify and pin hosts, and by the host to name itself.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

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
