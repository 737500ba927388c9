// The rule lives in src-main/host/data-dir.ts, shared with the desktop app.
export { ensureDataDir, resolveDataDir } from '../store/data-dir.js';
