#!/usr/bin/env node
// `npm start`: the desktop app where the Electron binary is present (fetched on first start by
// Electron's own installer), with better-sqlite3 built for Electron's ABI beside Node's build.
// Where the binary cannot be had (no network, or a server without a display), one line says so
// and the host starts with its web console, as `npm run headless` does; arguments after `--` go to
// `quorum serve` then (e.g. `npm start -- --port 1689`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { electronBuildIsCurrent } from './rebuild-electron-natives.js';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = dirname(require.resolve('electron/package.json'));

function binaryPath() {
  // Electron's own override (electron/index.js honours it too): a dist folder of your choice.
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const name =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron';
    const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, name);
    return existsSync(binary) ? binary : null;
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function noDisplay() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

/** The host and its web console in this terminal; signals pass to it. */
function headless(reason) {
  process.stderr.write(`quorum: ${reason}; starting the host with its web console instead (as "npm run headless").\n`);
  const child = spawn(process.execPath, [join(root, 'bin', 'quorum.js'), 'serve', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

let binary = binaryPath();
if (!binary && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  // Let Electron's installer try once, bounded (it needs network access to its download host).
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  binary = binaryPath();
}
if (!binary) {
  headless('the Electron binary is not available on this machine (it could not be downloaded)');
} else if (noDisplay()) {
  headless('no display to show the desktop app on');
} else if (!electronBuildIsCurrent() && !rebuildNatives()) {
  headless('SQLite could not be built for Electron on this machine (it needs network access once)');
} else {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  const run = spawnSync(binary, ['.'], { stdio: 'inherit', cwd: root });
  process.exit(run.status ?? 0);
}

function rebuildNatives() {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'rebuild-electron-natives.js')], {
    stdio: 'inherit',
    cwd: root,
  });
  return r.status === 0;
}
