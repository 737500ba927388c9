import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The data directory of one host installation (product.md, "Data directory"):
 * --data-dir, else QUORUM_DATA_DIR, else the OS convention.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.QUORUM_DATA_DIR) return resolve(env.QUORUM_DATA_DIR);
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Quorum');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Quorum');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'quorum');
}

/** Creates the directory (owner-only) if it does not exist and returns it. */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
