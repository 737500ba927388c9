import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';

/**
 * The data directory of one host installation, the ONE rule for the desktop app, the installed
 * `quorum` command and `npx quorum` (docs/operations.md, "The data directory"): --data-dir, else
 * QUORUM_DATA_DIR, else the OS convention below. The desktop app uses it too (not Electron's
 * userData, which holds only the window's browser caches), so `quorum status` on the same account
 * looks at the host the tray runs.
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
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw dataDirError(dir, e);
  }
  return dir;
}

/** mkdir's errno, said as what is wrong with the data directory and what to do. */
function dataDirError(dir: string, e: unknown): QuorumError {
  const code = (e as NodeJS.ErrnoException).code;
  const hint =
    'Check --data-dir (or QUORUM_DATA_DIR): it must name a directory this user may write, e.g. ./office-host.';
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return new QuorumError(
      'DATA_DIR_INVALID',
      `The data directory ${dir} cannot be used: ${code === 'EEXIST' ? 'it is a file' : 'part of that path is a file'}, not a directory.`,
      hint,
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new QuorumError(
      'DATA_DIR_INVALID',
      `The data directory ${dir} cannot be created: ${code === 'EROFS' ? 'the file system is read-only' : 'permission denied'}.`,
      hint,
    );
  }
  return new QuorumError(
    'DATA_DIR_INVALID',
    `The data directory ${dir} cannot be created (${code ?? String(e)}).`,
    hint,
  );
}
