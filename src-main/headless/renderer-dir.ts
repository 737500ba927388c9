import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuorumError } from '../../shared/domain/errors.js';

/** The built renderer shipped beside the sources (`out/renderer`, made by `npm ci`'s prepare step). */
export function rendererDir(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = join(root, 'out', 'renderer');
  if (!existsSync(join(dir, 'index.html'))) {
    throw new QuorumError(
      'CONSOLE_NOT_BUILT',
      `The console has not been built (no ${join(dir, 'index.html')}).`,
      'Run "npm run build:renderer" once, or start with --console off.',
    );
  }
  return dir;
}
