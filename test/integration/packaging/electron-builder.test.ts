// The installer config, checked offline: electron-builder assembles the unpacked Linux app from a
// stub Electron distribution (the real binary cannot be fetched here) and the tree must be one that
// runs: the archive holds main, preload, renderer and the CLI; the native addons (better-sqlite3's
// Electron build at native/electron/, sodium-native) are unpacked where the app resolves them; the
// `quorum` command's wrapper and the systemd unit are in resources/; and the CLI from the archive
// runs with plain Node. Electron's better-sqlite3 build cannot be made here (no headers), so Node's
// build stands in for it at native/electron/ while this test packs (removed afterwards).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { FuseV1Options } from '@electron/fuses';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateDataDir } from '../../support/activated-host.js';

const require = createRequire(import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'quorum-pack-'));
const output = join(work, 'release');
const unpacked = join(output, 'linux-unpacked');
const resources = join(unpacked, 'resources');
const standInAddon = join('native', 'electron', 'better_sqlite3.node');
let placedStandIn = false;
let builderLog = '';
const app = join(work, 'app');

beforeAll(() => {
  if (!existsSync(standInAddon)) {
    mkdirSync(join('native', 'electron'), { recursive: true });
    copyFileSync(
      join(require.resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node'),
      standInAddon,
    );
    placedStandIn = true;
  }
  // A stand-in Electron binary: says how it was called (the `quorum` wrapper's check below).
  const stub = join(work, 'electron-dist');
  mkdirSync(stub);
  writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "ELECTRON_RUN_AS_NODE=$ELECTRON_RUN_AS_NODE $*"\n');
  chmodSync(join(stub, 'electron'), 0o755);
  builderLog = execFileSync(
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
    { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, CI: 'true', QUORUM_PACKAGING_CHECK: '1' } },
  );
  // What Electron's file system shows the app: the archive with its unpacked files in place.
  extractAll(join(resources, 'app.asar'), app);
}, 180_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (placedStandIn) rmSync(standInAddon, { force: true });
});

interface BuilderConfig {
  npmRebuild: boolean;
  afterPack: string;
  asarUnpack: string[];
  linux: { target: string[]; executableName: string };
  deb: { fpm: string[]; afterInstall: string; afterRemove: string };
  win: { target: string[] };
  nsis: { perMachine: boolean; deleteAppDataOnUninstall: boolean; include: string };
  mac: { target: string[] };
}

describe('electron-builder packaging', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;

  it('declares the installers, per user on Windows like the data, keeping the data on uninstall', () => {
    expect([...config.linux.target, ...config.win.target, ...config.mac.target]).toEqual(
      expect.arrayContaining(['AppImage', 'deb', 'nsis', 'dmg']),
    );
    expect(config.nsis).toMatchObject({ perMachine: false, deleteAppDataOnUninstall: false });
    expect(readFileSync(config.nsis.include, 'utf8')).toContain('resources\\bin');
    // Never a rebuild of the checkout's node_modules for Electron (it would break the Node CLI).
    expect(config.npmRebuild).toBe(false);
    for (const size of [16, 32, 256, 512]) expect(existsSync(`build/icons/${size}x${size}.png`)).toBe(true);
  });

  it('puts main, preload, renderer and the CLI into app.asar, and no sources', () => {
    const files = listPackage(join(resources, 'app.asar'), { isPack: false });
    expect(files).toEqual(
      expect.arrayContaining([
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/out/cli/quorum.js',
        '/package.json',
      ]),
    );
    expect(files.some((f) => /^\/(src-main|src-renderer|shared|test|bench|scripts)\//.test(f))).toBe(false);
    expect(files.some((f) => f.startsWith('/out/') && f.endsWith('.ts'))).toBe(false);
  });

  it('unpacks the native addons where the app loads them', () => {
    const outside = join(resources, 'app.asar.unpacked');
    // better-sqlite3 for Electron's ABI, loaded through nativeBinding (src-main/store/sqlite-binding.ts).
    expect(existsSync(join(outside, 'native', 'electron', 'better_sqlite3.node'))).toBe(true);
    const prebuilds = join(outside, 'node_modules', 'sodium-native', 'prebuilds');
    expect(existsSync(join(prebuilds, `linux-${process.arch}`, 'sodium-native.node'))).toBe(true);
    const packed = listPackage(join(resources, 'app.asar'), { isPack: false });
    expect(packed).toContain('/node_modules/sodium-native/index.js');
    expect(packed.some((f) => f.endsWith('.bare') || /sodium-native\/prebuilds\/(android|ios)-/.test(f))).toBe(false);
    expect(packed.some((f) => /better-sqlite3\/(deps|src)\//.test(f))).toBe(false);
  });

  it('ships the `quorum` command: the app binary run as Node on the CLI inside the archive', () => {
    const wrapper = join(resources, 'bin', 'quorum');
    expect(statSync(wrapper).mode & 0o111).not.toBe(0);
    expect(existsSync(join(unpacked, config.linux.executableName))).toBe(true);
    // Called through a symlink, as /usr/bin/quorum is.
    const link = join(work, 'usr-bin-quorum');
    execFileSync('ln', ['-s', wrapper, link]);
    const r = spawnSync(link, ['status', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const [env, script, ...args] = r.stdout.trim().split(' ');
    expect(env).toBe('ELECTRON_RUN_AS_NODE=1');
    expect(args).toEqual(['status', '--json']);
    const inArchive = relative(join(resources, 'app.asar'), script!);
    expect(listPackage(join(resources, 'app.asar'), { isPack: false })).toContain(`/${inArchive}`);
  });

  it('ships the systemd unit that runs `quorum serve`, installed by the deb', () => {
    const unit = readFileSync(join(resources, 'quorum.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/quorum serve\b/m);
    expect(unit).toMatch(/^StateDirectory=quorum$/m);
    expect(config.deb.fpm).toContain('build/quorum.service=/lib/systemd/system/quorum.service');
    expect(readFileSync(config.deb.afterInstall, 'utf8')).toContain("resources/bin/quorum' '/usr/bin/quorum'");
  });

  it('sets the fuses after packing, and refuses to ship a binary it could not fuse', () => {
    expect(config.afterPack).toBe('build/fuses.cjs');
    expect(builderLog).toContain('is a stand-in without a fuse wire; not flipped (packaging check)');
    const { FUSES } = require('../../../build/fuses.cjs') as { FUSES: Record<number, boolean> };
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(true);
    expect(FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
  });

  it('runs the CLI from the packed tree with plain Node', () => {
    const dataDir = join(work, 'data');
    activateDataDir(dataDir, 'server');
    const r = spawnSync(
      process.execPath,
      [join(app, 'out', 'cli', 'quorum.js'), 'status', '--data-dir', dataDir, '--json'],
      {
        encoding: 'utf8',
        cwd: work,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, status: { serving: true } });
  });
});
