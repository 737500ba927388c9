/**
 * The TSIG secrets of the publish list, one file per zone under `<dataDir>/dns-keys/`, owner-only
 * (0600 in a 0700 folder) like the host identity and the console token, written to a temporary
 * file and renamed so that a crash never leaves half a key.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';
import type { TsigKey } from './tsig.js';
import { formatTsigKeyFile, parseTsigKeyFile } from './tsig-key-file.js';

export function keyDir(dataDir: string): string {
  return join(dataDir, 'dns-keys');
}

export function keyPath(dataDir: string, zone: string): string {
  return join(keyDir(dataDir), `${zone}.key`);
}

export function saveZoneKey(dataDir: string, zone: string, key: TsigKey): void {
  const dir = keyDir(dataDir);
  const file = keyPath(dataDir, zone);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, formatTsigKeyFile(key));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new QuorumError(
      'DNS_KEY_UNWRITABLE',
      `The TSIG key for ${zone} cannot be saved in ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
      'Check that the data directory is writable by this user.',
    );
  }
}

export function loadZoneKey(dataDir: string, zone: string): TsigKey {
  const file = keyPath(dataDir, zone);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new QuorumError(
      'DNS_KEY_MISSING',
      `The TSIG key for ${zone} (${file}) cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
      `Give the key again: quorum dns publish --zone ${zone} --server ADDR --tsig-key FILE.`,
    );
  }
  return parseTsigKeyFile(text, file);
}

export function deleteZoneKey(dataDir: string, zone: string): void {
  rmSync(keyPath(dataDir, zone), { force: true });
}

/** Reads a key file a person names (--tsig-key FILE), with the error saying which file. */
export function readKeyFileArgument(file: string): TsigKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new QuorumError(
      'DNS_KEY_UNREADABLE',
      `Cannot read the TSIG key file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
      'Give the path of the file tsig-keygen wrote (the one named.conf includes).',
    );
  }
  return parseTsigKeyFile(text, file);
}
