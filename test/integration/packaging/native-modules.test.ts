// The native modules, loaded the way each runtime resolves them: Node (the CLI from npm, the tests)
// loads node_modules' better-sqlite3; Electron (the desktop app, the installed `quorum` command)
// loads native/electron/better_sqlite3.node through better-sqlite3's nativeBinding option, from the
// unpacked copy beside app.asar in a package. Electron's build cannot be made here (no headers), so
// Node's build stands in for it at that path: what is proven is the path and the loading mechanism.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  appRoot,
  ELECTRON_SQLITE_DIR,
  SQLITE_ADDON,
  sqliteNativeBinding,
  sqliteOptions,
} from '../../../src-main/store/sqlite-binding.js';
import { tempDataDir } from '../../support/activated-host.js';

const require = createRequire(import.meta.url);
const nodeBuild = join(require.resolve('better-sqlite3/package.json'), '..', 'build', 'Release', SQLITE_ADDON);
const electron = { ...process.versions, electron: '45.4.1' };

describe('native modules for two runtimes', () => {
  it('uses node_modules\u2019 build under Node', () => {
    expect(sqliteNativeBinding()).toBeUndefined();
    expect(sqliteOptions()).toEqual({});
    const db = new Database(':memory:', sqliteOptions());
    expect(db.prepare('select sqlite_version() as v').get()).toHaveProperty('v');
    db.close();
  });

  it('finds the app root from the sources and from both bundles', () => {
    const root = resolve('.');
    for (const file of ['src-main/store/sqlite-binding.ts', 'out/main/index.js', 'out/cli/quorum.js']) {
      expect(appRoot(pathToFileURL(resolve(file)).href)).toBe(root);
    }
  });

  it('points Electron at native/electron/, outside the asar archive in a package', () => {
    expect(sqliteNativeBinding(electron, '/repo')).toBe(join('/repo', 'native', 'electron', SQLITE_ADDON));
    const packaged = join('/opt', 'Quorum', 'resources', 'app.asar');
    expect(sqliteNativeBinding(electron, packaged)).toBe(
      join('/opt', 'Quorum', 'resources', 'app.asar.unpacked', 'native', 'electron', SQLITE_ADDON),
    );
  });

  it('loads the addon from that path through nativeBinding', () => {
    const root = tempDataDir('quorum-native-');
    mkdirSync(join(root, ELECTRON_SQLITE_DIR), { recursive: true });
    copyFileSync(nodeBuild, join(root, ELECTRON_SQLITE_DIR, SQLITE_ADDON));
    const nativeBinding = sqliteNativeBinding(electron, root)!;
    const db = new Database(join(root, 'check.db'), { nativeBinding });
    db.exec('create table t (x); insert into t values (1)');
    expect(db.prepare('select x from t').get()).toEqual({ x: 1 });
    db.close();
    // A wrong path fails loudly instead of falling back to another ABI's build.
    expect(() => new Database(':memory:', { nativeBinding: join(root, 'missing', SQLITE_ADDON) })).toThrow();
  });

  it('loads libsodium (N-API, any ABI) from where the bundles resolve it', () => {
    for (const file of ['out/main/index.js', 'out/cli/quorum.js']) {
      const sodium = createRequire(resolve(file))('sodium-native') as { crypto_sign_BYTES: number };
      expect(sodium.crypto_sign_BYTES).toBe(64);
    }
  });
});
