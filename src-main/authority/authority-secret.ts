/**
 * The embedded authority's secret: 32 random bytes in `<dataDir>/authority-secret` (hex, mode
 * 0600), created by the first `quorum authority issue`. Whoever holds it can issue keys, so it is
 * never printed; the authority is named by a 16-bit tag derived from it. The desktop app does not
 * seal it with the OS keychain (store/secret-file.ts): `quorum authority issue`, `key activate` and
 * `authority confirm` read it on the app's data directory (docs/keys.md), and a sealed copy lost
 * with the OS profile would leave no key it issued verifiable.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '../store/private-files.js';
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';

export const SECRET_FILE = 'authority-secret';

export interface AuthoritySecret {
  readonly secret: Buffer;
  /** 16 bits naming the authority inside its keys. */
  readonly tag: number;
}

export function secretPath(dataDir: string): string {
  return join(dataDir, SECRET_FILE);
}

export function tagLabel(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(4, '0');
}

function fromSecret(secret: Buffer): AuthoritySecret {
  const tag = createHmac('sha256', secret).update('quorum-authority-tag-v1').digest().readUInt16BE(0);
  return { secret, tag };
}

/** The secret, or undefined when this data directory has no authority yet. */
export function readAuthoritySecret(dataDir: string): AuthoritySecret | undefined {
  const file = secretPath(dataDir);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new QuorumError(
      'AUTHORITY_SECRET_DAMAGED',
      `${file} is damaged: it should hold 64 hexadecimal digits. Quorum did not change it.`,
      'Restore it from a backup: keys issued with it cannot be verified without it.',
    );
  }
  return fromSecret(Buffer.from(text, 'hex'));
}

/** Reads the secret, creating it (exclusively, 0600) when absent. */
export function loadOrCreateAuthoritySecret(dataDir: string): AuthoritySecret {
  const existing = readAuthoritySecret(dataDir);
  if (existing) return existing;
  const secret = randomBytes(32);
  // Exclusive: if another process created it between our check and now, use theirs.
  if (writePrivateFile(secretPath(dataDir), `${secret.toString('hex')}\n`, { exclusive: true }) === 'exists') {
    return readAuthoritySecret(dataDir)!;
  }
  return fromSecret(secret);
}
