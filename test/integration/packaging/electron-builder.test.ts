// The installer config is checked offline: electron-builder assembles the unpacked Linux app from a
// stub Electron distribution (the real binary cannot be fetched here), and the archive must hold
// main, preload and renderer, with the native SQLite module left outside the asar.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'quorum-pack-'));
const output = join(work, 'release');

beforeAll(() => {
  if (!existsSync('out/main/index.js') || !existsSync('out/renderer/index.html')) {
    execFileSync('npx', ['electron-vite', 'build'], { stdio: 'pipe' });
  }
  const stub = join(work, 'electron-dist');
  execFileSync('mkdir', ['-p', stub]);
  writeFileSync(join(stub, 'electron'), '#!/bin/sh\n');
  chmodSync(join(stub, 'electron'), 0o755);
  execFileSync(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${stub}`,
      '-c.electronVersion=45.4.1',
      '-c.npmRebuild=false',
      `-c.directories.output=${output}`,
    ],
    { stdio: 'pipe', env: { ...process.env, CI: 'true' } },
  );
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('electron-builder packaging', () => {
  it('declares the installers for every desktop platform', () => {
    const config = readFileSync('electron-builder.yml', 'utf8');
    expect(config).toMatch(/^appId: \S+/m);
    expect(config).toMatch(/^productName: Quorum$/m);
    for (const target of ['nsis', 'AppImage', 'deb', 'dmg']) expect(config).toContain(target);
    expect(config).toMatch(/^asar: true$/m);
  });

  it('puts main, preload and renderer into app.asar', () => {
    const files = listPackage(join(output, 'linux-unpacked', 'resources', 'app.asar'), { isPack: false });
    expect(files).toEqual(
      expect.arrayContaining([
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/package.json',
      ]),
    );
    expect(files.some((f) => f.startsWith('/src-main') || f.startsWith('/test'))).toBe(false);
  });

  it('leaves the native SQLite module unpacked so it can load', () => {
    const unpacked = join(output, 'linux-unpacked', 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3');
    expect(existsSync(join(unpacked, 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
  });

  it('leaves the libsodium signer unpacked too, without the Bare runtime and mobile builds', () => {
    const resources = join(output, 'linux-unpacked', 'resources');
    const prebuilds = join(resources, 'app.asar.unpacked', 'node_modules', 'sodium-native', 'prebuilds');
    expect(existsSync(join(prebuilds, `linux-${process.arch}`, 'sodium-native.node'))).toBe(true);
    const packed = listPackage(join(resources, 'app.asar'), { isPack: false });
    expect(packed).toContain('/node_modules/sodium-native/index.js');
    expect(packed).toContain('/node_modules/require-addon/package.json');
    expect(packed.some((f) => f.endsWith('.bare') || /sodium-native\/prebuilds\/(android|ios)-/.test(f))).toBe(false);
  });
});
