/**
 * Which compiled better-sqlite3 addon this process loads. better-sqlite3 is not N-API: its build
 * matches one ABI. Plain Node (the CLI from npm, the tests) loads node_modules' own build; Electron
 * (the desktop app, and the installed `quorum` command, which is the app's binary run as Node)
 * loads the build made for Electron's ABI by scripts/rebuild-electron-natives.js, kept apart in
 * native/electron/ so that neither runtime's build replaces the other's.
 */
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ELECTRON_SQLITE_DIR = join('native', 'electron');
export const SQLITE_ADDON = 'better_sqlite3.node';

/**
 * The app's root: two levels above this module in the sources (src-main/store/) and in both
 * bundles (out/main/, out/cli/); inside a package it is resources/app.asar.
 */
export function appRoot(moduleUrl: string = import.meta.url): string {
  return join(dirname(fileURLToPath(moduleUrl)), '..', '..');
}

/** A native file is loaded from the unpacked copy next to the archive, never from inside it. */
export function outsideAsar(path: string): string {
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}

/** The addon path for `nativeBinding`, or undefined for better-sqlite3's own (Node's) build. */
export function sqliteNativeBinding(
  versions: NodeJS.ProcessVersions = process.versions,
  root: string = appRoot(),
): string | undefined {
  if (!versions.electron) return undefined;
  return outsideAsar(join(root, ELECTRON_SQLITE_DIR, SQLITE_ADDON));
}

/** Spread into every `new Database(file, options)`. */
export function sqliteOptions(): { nativeBinding?: string } {
  const nativeBinding = sqliteNativeBinding();
  return nativeBinding ? { nativeBinding } : {};
}
