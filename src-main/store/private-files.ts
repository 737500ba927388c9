/**
 * Files of the data directory that only the host's user may read (the database holds the full
 * host key; the identity key, the authority secret and the console token are secrets), and the
 * one way secrets are written: to a temporary file, synced, then renamed (or linked) into place,
 * and the directory synced. A power loss or a full disk leaves the old file or the new one, never
 * an empty or half-written one, and a secret is never readable by others, not even for a moment.
 * Secrets the desktop app seals with the OS keychain go through secret-file.ts, which writes here.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export const PRIVATE_MODE = 0o600;

/** Windows has no owner/group/other bits to set; its ACLs come from the profile folder. */
const POSIX = process.platform !== 'win32';

/** Makes a rename or link inside `dir` durable. Some platforms cannot open a directory: nothing to do there. */
export function syncDirectory(dir: string): void {
  if (!POSIX) return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // A file system that cannot sync a directory (some network mounts) keeps the rename anyway.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `content` to `path` with mode 0600, atomically and durably. With `exclusive`, an
 * existing `path` is left alone and 'exists' is returned (another process won the race: use its
 * file); otherwise it is replaced.
 */
export function writePrivateFile(
  path: string,
  content: string | Uint8Array,
  options: { exclusive?: boolean } = {},
): 'written' | 'exists' {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', PRIVATE_MODE);
  try {
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.exclusive) {
      if (!placeExclusively(temp, path)) return 'exists';
    } else {
      renameSync(temp, path);
    }
    syncDirectory(dirname(path));
    return 'written';
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Renamed away: nothing left to remove.
    }
  }
}

/**
 * Gives the complete file `temp` the name `path` unless `path` exists (false then). link() does
 * both at once; where the file system has no hard links (FAT, some network shares), a rename after
 * a check, which leaves a moment for a race that only a second process starting at once could hit.
 */
export function placeExclusively(temp: string, path: string): boolean {
  try {
    linkSync(temp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
  }
  if (existsSync(path)) return false;
  renameSync(temp, path);
  return true;
}

/** Takes group and other access off `path` if it has any; false when the file does not exist. */
export function makePrivate(path: string): boolean {
  if (!POSIX) return true;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_MODE);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Makes every regular file directly in `dir` owner-only; returns the names it changed. */
export function makeDirectoryFilesPrivate(dir: string): string[] {
  if (!POSIX) return [];
  const changed: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(dir, entry.name);
    try {
      if ((statSync(path).mode & 0o077) === 0) continue;
      chmodSync(path, PRIVATE_MODE);
      changed.push(entry.name);
    } catch {
      // Gone meanwhile (a temp file renamed): nothing to protect.
    }
  }
  return changed;
}

/**
 * Why `dir` exposes the data directory to other local users (group or other may list or enter
 * it), or null. Its files are owner-only either way; this is about names and future files.
 */
export function directoryExposure(dir: string): string | null {
  if (!POSIX) return null;
  let mode: number;
  try {
    mode = statSync(dir).mode & 0o777;
  } catch {
    return null;
  }
  if ((mode & 0o077) === 0) return null;
  return (
    `The data directory ${dir} can be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}). ` +
    `Its files are owner-only, but make the directory owner-only too: chmod 700 ${dir}` +
    ' (under systemd: StateDirectoryMode=0700).'
  );
}
