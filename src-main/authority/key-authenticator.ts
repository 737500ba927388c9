/**
 * The authority's MACs: the 40-bit authenticator inside each key, and the MAC binding a
 * confirmation ID to its installation ID.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { encodeHostKey, hostKeyMacInput, type HostKey, type HostKeyFields } from '../../shared/keys/index.js';
import type { AuthoritySecret } from './authority-secret.js';

function first40Bits(digest: Buffer): number {
  return digest.readUIntBE(0, 5);
}

export function keyAuthenticator(secret: AuthoritySecret, fields: Omit<HostKeyFields, 'authenticator'>): number {
  const mac = createHmac('sha256', secret.secret).update('quorum-host-key-v1').update(hostKeyMacInput(fields));
  return first40Bits(mac.digest());
}

export function mintHostKey(secret: AuthoritySecret, fields: Omit<HostKeyFields, 'authenticator' | 'authorityTag'>) {
  const withTag = { ...fields, authorityTag: secret.tag };
  return encodeHostKey({ ...withTag, authenticator: keyAuthenticator(secret, withTag) });
}

export function isGenuine(secret: AuthoritySecret, key: HostKeyFields): boolean {
  if (key.authorityTag !== secret.tag) return false;
  const a = Buffer.alloc(5);
  const b = Buffer.alloc(5);
  a.writeUIntBE(keyAuthenticator(secret, key), 0, 5);
  b.writeUIntBE(key.authenticator, 0, 5);
  return timingSafeEqual(a, b);
}

/**
 * MAC of a confirmation ID. Keyed by the host key itself, because the host must check it offline
 * and holds nothing else the authority knows: a typo or a confirmation ID meant for another
 * installation ID fails; see docs/keys.md for what this does not stop.
 */
export function confirmationMac(key: HostKey, iid: string, hostsUsed: number, activationNumber: number): number {
  const k = createHash('sha256').update('quorum-cid-key-v1').update(key.text).digest();
  const mac = createHmac('sha256', k).update(`${iid}|${hostsUsed}|${activationNumber}`).digest();
  return mac.readUIntBE(0, 6);
}

/**
 * Proof, inside an installation ID, that the host holds the key: 40 bits of a MAC keyed by the key
 * text over the rest of the IID. The IID itself leaves out the key's authenticator, so reading it
 * does not give away the key; the issuing authority rebuilds the key and checks this.
 */
export function installationProof(key: HostKey, iidHead: bigint): number {
  const k = createHash('sha256').update('quorum-iid-proof-v1').update(key.text).digest();
  return first40Bits(createHmac('sha256', k).update(iidHead.toString()).digest());
}
