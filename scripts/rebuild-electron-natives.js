#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/, beside (not instead of) the
// build node_modules holds for Node. The desktop app and the installed `quorum` command (the app's
// binary run as Node) load this one (src-main/store/sqlite-binding.ts); the CLI from npm and the
// tests keep node_modules' build. sodium-native needs nothing: its N-API prebuilds load in both.
//
// Needs network on first run (Electron's headers, or a prebuilt addon). `npm start` runs it when the
// build is missing or was made for another Electron or better-sqlite3 version; `npm run dist` and the
// release workflow run it before packaging. `--arch ARCH` builds for another architecture.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'native', 'electron');
const stamp = join(out, 'build.json');

const version = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
const archArg = process.argv.indexOf('--arch');
const wanted = {
  electron: version('electron'),
  betterSqlite3: version('better-sqlite3'),
  platform: process.platform,
  arch: archArg > 0 ? process.argv[archArg + 1] : process.arch,
};

export function electronBuildIsCurrent() {
  if (!existsSync(join(out, 'better_sqlite3.node')) || !existsSync(stamp)) return false;
  const made = JSON.parse(readFileSync(stamp, 'utf8'));
  return Object.entries(wanted).every(([k, v]) => made[k] === v);
}

function run(cmd, args, cwd) {
  return spawnSync(process.execPath, [cmd, ...args], { cwd, stdio: 'inherit' }).status === 0;
}

function build() {
  // A copy of the package, so node_modules' own build (Node's ABI) is never touched.
  const staging = join(root, 'native', '.staging', 'better-sqlite3');
  rmSync(staging, { recursive: true, force: true });
  cpSync(dirname(require.resolve('better-sqlite3/package.json')), staging, {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  });
  const target = ['--runtime', 'electron', '--target', wanted.electron, '--arch', wanted.arch];
  const prebuilt = run(require.resolve('prebuild-install/bin.js'), [...target, '--verbose'], staging);
  const built =
    prebuilt ||
    run(
      require.resolve('node-gyp/bin/node-gyp.js'),
      [
        'rebuild',
        '--release',
        `--target=${wanted.electron}`,
        `--arch=${wanted.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      staging,
    );
  const addon = join(staging, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !existsSync(addon)) {
    process.stderr.write(
      `quorum: could not build better-sqlite3 for Electron ${wanted.electron} (it needs network access once).\n`,
    );
    return false;
  }
  mkdirSync(out, { recursive: true });
  cpSync(addon, join(out, 'better_sqlite3.node'));
  writeFileSync(stamp, `${JSON.stringify(wanted, null, 2)}\n`);
  rmSync(join(root, 'native', '.staging'), { recursive: true, force: true });
  process.stdout.write(`quorum: better-sqlite3 built for Electron ${wanted.electron} in native/electron/\n`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (electronBuildIsCurrent() && !process.argv.includes('--force')) process.exit(0);
  process.exit(build() ? 0 : 1);
}
