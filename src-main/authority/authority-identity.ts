/**
 * The networked authority's Ed25519 signing key, `<dataDir>/authority-identity.pem` (PKCS#8, 0600).
 * Every answer of `quorum authority serve` is signed with it, and hosts pin its public key, so a
 * response changed in transit or sent by someone else is refused. It is separate from the
 * authority secret (which mints keys): publishing the public half gives nothing away.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';

export const AUTHORITY_IDENTITY_FILE = 'authority-identity.pem';

export interface AuthorityIdentity {
  /** Raw Ed25519 public key, 32 bytes. */
  publicKey: Uint8Array;
  /** SHA-256 of the public key, 64 lower-case hex digits: what hosts pin. */
  fingerprint: string;
  sign(bytes: Uint8Array): Uint8Array;
}

export function authorityFingerprintOf(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex');
}

function fromPrivateKey(privateKey: KeyObject): AuthorityIdentity {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(der.subarray(der.byteLength - 32));
  return {
    publicKey,
    fingerprint: authorityFingerprintOf(publicKey),
    sign: (bytes) => new Uint8Array(sign(null, bytes, privateKey)),
  };
}

function damaged(file: string, why: string): QuorumError {
  return new QuorumError(
    'AUTHORITY_IDENTITY_DAMAGED',
    `The authority's signing key ${file} cannot be used: ${why}.`,
    'Restore it from a backup. A new key would make every host that pinned the old one refuse this authority.',
  );
}

/** Writes `text` to `file` so that it is either absent or whole, even across a power loss. */
function writeSecretFileAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Loads the authority's signing key, creating it on first use. */
export function loadOrCreateAuthorityIdentity(dataDir: string): AuthorityIdentity {
  const file = join(dataDir, AUTHORITY_IDENTITY_FILE);
  let pem: string | null = null;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new QuorumError(
        'AUTHORITY_IDENTITY_UNREADABLE',
        `The authority's signing key ${file} cannot be read (${code ?? 'error'}).`,
        'Check the data directory permissions.',
      );
    }
  }
  if (pem === null) {
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeSecretFileAtomically(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    } catch (e) {
      throw new QuorumError(
        'AUTHORITY_IDENTITY_UNWRITABLE',
        `The authority's signing key cannot be created in ${dataDir} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
        'Check that the data directory exists and is writable.',
      );
    }
    return fromPrivateKey(privateKey);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw damaged(file, 'it is not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw damaged(file, `it is a ${key.asymmetricKeyType ?? '?'} key`);
  return fromPrivateKey(key);
}
