/**
 * The TSIG secrets of the publish list, one file per zone under `<dataDir>/dns-keys/` (a 0700
 * folder), written atomically. The CLI and `quorum serve` keep them as owner-only files; the
 * desktop app seals them with the OS keychain (store/secret-file.ts), and seals at its start the
 * plain ones it finds (written by the CLI or an older build). A key is the one secret here a
 * person can always give again (the file named.conf includes), so sealing it costs little: a
 * command outside the app that needs a sealed key says so and takes the key file instead.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';
import {
  isSealed,
  OWNER_ONLY_FILES,
  readSecretFile,
  sealInPlace,
  writeSecretFile,
  type SecretSealer,
} from '../store/secret-file.js';
import type { TsigKey } from './tsig.js';
import { formatTsigKeyFile, parseTsigKeyFile } from './tsig-key-file.js';

export function keyDir(dataDir: string): string {
  return join(dataDir, 'dns-keys');
}

export function keyPath(dataDir: string, zone: string): string {
  return join(keyDir(dataDir), `${zone}.key`);
}

function reason(e: unknown): string {
  if (e instanceof QuorumError) return e.message;
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

export async function saveZoneKey(
  dataDir: string,
  zone: string,
  key: TsigKey,
  secrets: SecretSealer = OWNER_ONLY_FILES,
): Promise<void> {
  const dir = keyDir(dataDir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    await writeSecretFile(keyPath(dataDir, zone), formatTsigKeyFile(key), secrets);
  } catch (e) {
    throw new QuorumError(
      'DNS_KEY_UNWRITABLE',
      `The TSIG key for ${zone} cannot be saved in ${dir} (${reason(e)}).`,
      'Check that the data directory is writable by this user.',
    );
  }
}

export async function loadZoneKey(
  dataDir: string,
  zone: string,
  secrets: SecretSealer = OWNER_ONLY_FILES,
): Promise<TsigKey> {
  const file = keyPath(dataDir, zone);
  let text: string;
  try {
    text = (await readSecretFile(file, secrets)).content.toString('utf8');
  } catch (e) {
    const code = e instanceof QuorumError ? e.code : '';
    if (code === 'SECRET_SEALED') {
      throw new QuorumError(
        'DNS_KEY_SEALED',
        `The TSIG key for ${zone} (${file}) is sealed with the desktop app's OS keychain: only the app can use it.`,
        `The desktop app publishes and withdraws with it (its DNS view; within 30 s while it runs). Here, give the key file: quorum dns withdraw --zone ${zone} --tsig-key FILE, or quorum dns publish --zone ${zone} --server ADDR --tsig-key FILE (which keeps it as an owner-only file).`,
      );
    }
    if (code === 'SECRET_UNSEALABLE') {
      throw new QuorumError(
        'DNS_KEY_UNSEALABLE',
        `The TSIG key for ${zone} cannot be used: ${reason(e)}`,
        `Give the key again: add the zone with its key file in the DNS view, or quorum dns publish --zone ${zone} --server ADDR --tsig-key FILE.`,
      );
    }
    throw new QuorumError(
      'DNS_KEY_MISSING',
      `The TSIG key for ${zone} (${file}) cannot be read (${reason(e)}).`,
      `Give the key again: quorum dns publish --zone ${zone} --server ADDR --tsig-key FILE.`,
    );
  }
  return parseTsigKeyFile(text, file);
}

export function deleteZoneKey(dataDir: string, zone: string): void {
  rmSync(keyPath(dataDir, zone), { force: true });
}

/** Seals every plain key file with the keychain; returns the zones whose key it sealed. */
export async function sealZoneKeys(dataDir: string, secrets: SecretSealer): Promise<string[]> {
  if (secrets.kind !== 'os') return [];
  let names: string[];
  try {
    names = readdirSync(keyDir(dataDir)).filter((n) => n.endsWith('.key'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const sealed: string[] = [];
  for (const name of names.sort()) {
    if (await sealInPlace(join(keyDir(dataDir), name), secrets)) sealed.push(name.slice(0, -'.key'.length));
  }
  return sealed;
}

/** Reads a key file a person names (--tsig-key FILE), with the error saying which file. */
export function readKeyFileArgument(file: string): TsigKey {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new QuorumError(
      'DNS_KEY_UNREADABLE',
      `Cannot read the TSIG key file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
      'Give the path of the file tsig-keygen wrote (the one named.conf includes).',
    );
  }
  if (isSealed(bytes)) {
    throw new QuorumError(
      'DNS_KEY_SEALED',
      `${file} is a copy the desktop app sealed with the OS keychain, not a key file.`,
      'Give the file tsig-keygen wrote (the one named.conf includes).',
    );
  }
  return parseTsigKeyFile(bytes.toString('utf8'), file);
}
