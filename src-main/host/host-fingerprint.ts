/**
 * The host's public identity (fingerprint and host id) read from its data directory without
 * creating or changing anything, so `quorum status` and `quorum key info` can show what an admin
 * gives clients as `--pin` (docs/protocol.md §6) while the host runs, or before it first ran.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_IDENTITY_FILE, fingerprintOf, hostIdOf, shortFingerprint } from './identity.js';

export interface HostFingerprint {
  /** SHA-256 of the raw Ed25519 public key, 64 lower-case hex digits: what `--pin` takes. */
  fingerprint: string;
  /** The first 32 hex digits in groups of four, for comparing by eye. */
  fingerprintShort: string;
  hostId: string;
  publicKeyHex: string;
}

export type HostFingerprintResult =
  | ({ state: 'present' } & HostFingerprint)
  | { state: 'absent'; message: string }
  | { state: 'unreadable'; message: string };

export function readHostFingerprint(dataDir: string): HostFingerprintResult {
  const file = join(dataDir, HOST_IDENTITY_FILE);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') {
      return { state: 'absent', message: `No host identity yet: ${file} is created when the host first starts.` };
    }
    return { state: 'unreadable', message: `The host identity key ${file} cannot be read (${code}).` };
  }
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'ed25519') {
      return { state: 'unreadable', message: `The host identity key ${file} is not an Ed25519 key.` };
    }
    const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
    const publicKey = new Uint8Array(der.subarray(der.byteLength - 32));
    const fingerprint = fingerprintOf(publicKey);
    return {
      state: 'present',
      fingerprint,
      fingerprintShort: shortFingerprint(fingerprint),
      hostId: hostIdOf(fingerprint),
      publicKeyHex: Buffer.from(publicKey).toString('hex'),
    };
  } catch {
    return { state: 'unreadable', message: `The host identity key ${file} is not a PEM private key.` };
  }
}

/** The rows `quorum status` and `quorum key info` print for the identity. */
export function hostFingerprintRows(r: HostFingerprintResult): { label: string; value: string }[] {
  if (r.state !== 'present') return [{ label: 'Host identity', value: r.message }];
  return [
    { label: 'Host ID', value: r.hostId },
    { label: 'Key fingerprint', value: r.fingerprint },
  ];
}

/** The `host` object of `quorum status --json` and `quorum key info --json`. */
export function hostFingerprintJson(r: HostFingerprintResult): HostFingerprint | { error: string } {
  if (r.state !== 'present') return { error: r.message };
  const { state: _state, ...rest } = r;
  return rest;
}
