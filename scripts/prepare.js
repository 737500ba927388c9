#!/usr/bin/env node
// `npm ci`'s prepare step: builds what `npx quorum` runs (the CLI, out/cli/quorum.js) and the web
// console it serves (out/renderer). A production install (`npm ci --omit=dev`) has no build tools:
// there the built out/ must have come with the files (docs/operations.md, "Production install").
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The development install has vite in node_modules (its bin is not an export, so found by path).
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const vite = existsSync(viteBin) ? viteBin : null;

if (!vite) {
  const built =
    existsSync(join(root, 'out', 'cli', 'quorum.js')) && existsSync(join(root, 'out', 'renderer', 'index.html'));
  if (!built) {
    process.stderr.write(
      'quorum: production install without a build: copy out/ from a machine that ran "npm run build" (see docs/operations.md).\n',
    );
  }
  process.exit(0);
}

const builds = [['vite.renderer.config.ts'], ['vite.cli.config.ts'], ['vite.cli.config.ts', '--mode', 'sim-worker']];
for (const [config, ...extra] of builds) {
  const r = spawnSync(process.execPath, [vite, 'build', '--config', config, ...extra, '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
