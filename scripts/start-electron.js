#!/usr/bin/env node
// `npm start`: the desktop app where the Electron binary is present (fetched on first start by
// Electron's own installer); otherwise one clear line pointing at the headless host.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function binaryPath() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

let binary = binaryPath();
if (!binary) {
  // Quietly let Electron's installer try once (it needs network access to its download host).
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  binary = binaryPath();
}
if (!binary) {
  process.stderr.write(
    'quorum: the Electron binary is not available on this machine (it could not be downloaded); run "npm run headless" for the host and its web console instead.\n',
  );
  process.exit(1);
}
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(binary, ['.'], { stdio: 'inherit' });
process.exit(run.status ?? 0);
