/**
 * Secrets of the data directory kept one of two ways: as owner-only files (mode 0600, written by
 * private-files.ts), or sealed with the OS keychain, which only the desktop app can use (Electron's
 * safeStorage, injected from src-main/electron/: this layer never imports electron). A sealed file
 * starts with a short header, so every reader tells the two apart: the app still reads a plain file
 * (and seals it), and a process without the keychain (the CLI, `quorum serve`) says the secret is
 * sealed instead of reading noise as a damaged key.
 */
import { readFileSync } from 'node:fs';
import { QuorumError } from '../../shared/domain/errors.js';
import { writePrivateFile } from './private-files.js';

export interface SecretSealer {
  /** 'plain': owner-only files as they are; 'os': sealed with the OS keychain. */
  readonly kind: 'plain' | 'os';
  /** What protects the secrets, for the log: "owner-only files", "the OS keychain (gnome_libsecret)". */
  readonly label: string;
  seal(plain: Buffer): Promise<Buffer>;
  /** Throws when this keychain cannot open `sealed` (another user or machine, a reset keychain). */
  open(sealed: Buffer): Promise<Buffer>;
}

/** The CLI's and `quorum serve`'s way, and the app's where the OS has no usable keychain. */
export const OWNER_ONLY_FILES: SecretSealer = {
  kind: 'plain',
  label: 'owner-only files',
  seal: async (plain) => plain,
  open: async (sealed) => sealed,
};

/**
 * The first line of a sealed file. No secret Quorum keeps starts so (PEM, hex, a token, a
 * tsig-keygen file), and a person who opens the file reads what it is. The sealed bytes follow in
 * base64 on one line.
 */
export const SEALED_HEADER = 'quorum-sealed:os-keychain:1\n';
const HEADER_BYTES = Buffer.from(SEALED_HEADER);

export function isSealed(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .subarray(0, HEADER_BYTES.length)
    .equals(HEADER_BYTES);
}

export function sealedFileBytes(sealed: Buffer): Buffer {
  return Buffer.concat([HEADER_BYTES, Buffer.from(`${sealed.toString('base64')}\n`)]);
}

function sealedPart(file: string, bytes: Buffer): Buffer {
  const body = bytes.subarray(HEADER_BYTES.length).toString('latin1').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new QuorumError('SECRET_UNSEALABLE', `${file} has the sealed header but not a sealed secret after it.`);
  }
  return Buffer.from(body, 'base64');
}

export interface ReadSecret {
  content: Buffer;
  /** The file was sealed (false: a plain owner-only file, which the app seals at its next start). */
  sealed: boolean;
}

/**
 * Reads the secret in `file` (file system errors, ENOENT among them, pass through). A sealed file
 * read without the keychain is SECRET_SEALED; one the keychain cannot open is SECRET_UNSEALABLE.
 */
export async function readSecretFile(file: string, sealer: SecretSealer): Promise<ReadSecret> {
  const bytes = readFileSync(file);
  if (!isSealed(bytes)) return { content: bytes, sealed: false };
  if (sealer.kind !== 'os') {
    throw new QuorumError(
      'SECRET_SEALED',
      `${file} is sealed with the desktop app's OS keychain: only the app, in this user's session, can open it.`,
      'Run the operation from the desktop app.',
    );
  }
  const sealed = sealedPart(file, bytes);
  try {
    return { content: await sealer.open(sealed), sealed: true };
  } catch (e) {
    throw new QuorumError(
      'SECRET_UNSEALABLE',
      `${file} is sealed, but ${sealer.label} cannot open it (${e instanceof Error ? e.message : String(e)}): it was sealed by another user or on another machine, or the keychain was reset or is locked.`,
      'Give the secret again (a sealed copy cannot be moved to another account or machine).',
    );
  }
}

/** Writes `content` to `file` owner-only and atomically, sealed first when `sealer` is the keychain. */
export async function writeSecretFile(
  file: string,
  content: string | Uint8Array,
  sealer: SecretSealer,
  options: { exclusive?: boolean } = {},
): Promise<'written' | 'exists'> {
  const plain = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
  const bytes = sealer.kind === 'os' ? sealedFileBytes(await sealer.seal(plain)) : plain;
  return writePrivateFile(file, bytes, options);
}

/**
 * Seals `file` in place when it is a plain secret and `sealer` is the keychain; true when it did.
 * A file changed while it was being sealed (the CLI wrote a new key meanwhile) is left as it now is.
 */
export async function sealInPlace(file: string, sealer: SecretSealer): Promise<boolean> {
  if (sealer.kind !== 'os') return false;
  let plain: Buffer;
  try {
    plain = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (isSealed(plain)) return false;
  const bytes = sealedFileBytes(await sealer.seal(plain));
  try {
    if (!readFileSync(file).equals(plain)) return false;
  } catch {
    return false;
  }
  writePrivateFile(file, bytes);
  return true;
}
