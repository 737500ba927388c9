/**
 * The desktop app's entry (out/main/index.js). Everything is in desktop-app.ts so that a test can
 * run it against a stand-in `electron` module; better-sqlite3's Electron build is picked by
 * src-main/store/sqlite-binding.ts.
 */
import { runDesktopApp, type DesktopApp } from './desktop-app.js';

// Held for the app's lifetime: the Tray inside must never be garbage-collected (it would vanish).
export let desktop: DesktopApp | null = null;
void runDesktopApp().then((d) => (desktop = d));
