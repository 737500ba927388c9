import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../store/private-files.js';
import { join } from 'node:path';

/**
 * The headless console's access token: generated once per data directory, kept owner-only, and
 * required on the WebSocket so that other local users and web pages cannot drive the console.
 */
export function loadOrCreateConsoleToken(dataDir: string): string {
  const file = join(dataDir, 'console-token');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(24).toString('base64url');
  writePrivateFile(file, `${token}\n`);
  return token;
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
