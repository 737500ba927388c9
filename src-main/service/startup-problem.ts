/**
 * When the desktop app's host cannot start, the window still opens and says why, with what to do,
 * instead of an error box and an exit. This turns the start-up error into that page.
 */
import { QuorumError } from '../../shared/domain/errors.js';

export interface StartupProblem {
  code: string;
  message: string;
  /** What the admin can do, most likely first. */
  fixes: string[];
  dataDir: string;
  port: number;
}

const PORT_CODES = new Set(['HOST_PORT_IN_USE', 'HOST_PORT_DENIED', 'EADDRINUSE']);
const LOCK_CODES = new Set(['HOST_ALREADY_RUNNING', 'STORE_LOCKED', 'HOST_LOCK_FAILED']);
const DAMAGE_CODES = new Set([
  'STORE_CORRUPT',
  'STORE_FOREIGN',
  'STORE_TOO_NEW',
  'STORE_NEEDS_UPGRADE',
  'STORE_UNREADABLE',
]);

export function describeStartupProblem(error: unknown, where: { dataDir: string; port: number }): StartupProblem {
  const code =
    error instanceof QuorumError ? error.code : ((error as NodeJS.ErrnoException | undefined)?.code ?? 'INTERNAL');
  const message = error instanceof Error ? error.message : String(error);
  const fixes: string[] = [];
  if (error instanceof QuorumError && error.hint) fixes.push(error.hint);
  if (PORT_CODES.has(code) || /EADDRINUSE|address already in use/i.test(message)) {
    fixes.push(
      `Another program uses port ${where.port}: stop it, or start Quorum on another port (set QUORUM_PORT, e.g. QUORUM_PORT=1689, and publish that port in DNS).`,
    );
  }
  if (LOCK_CODES.has(code)) {
    fixes.push(
      'Another Quorum host (perhaps "quorum serve" as a service) uses this data directory: stop it, or use it.',
    );
  }
  if (DAMAGE_CODES.has(code)) {
    fixes.push(
      'Open the data folder, keep a copy of the damaged files, and restore the newest quorum.db.bak-* or your own backup (docs/operations.md, "When the database cannot be used").',
    );
  }
  if (/better_sqlite3\.node/.test(message)) {
    fixes.push(
      'SQLite is not built for this Electron: run "npm run rebuild:electron" in the checkout (it needs network access once).',
    );
  }
  fixes.push('Then choose "Try again" in the tray menu. The log folder holds the details.');
  return { code, message, fixes, dataDir: where.dataDir, port: where.port };
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A page without script (the app's CSP applies to it as to the console). */
export function startupProblemHtml(p: StartupProblem): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Quorum: the host did not start</title>
<link rel="stylesheet" href="startup-problem.css"></head>
<body>
<main>
<h1>The activation host did not start</h1>
<p role="alert">${escape(p.message)} <code>(${escape(p.code)})</code></p>
<h2>What to do</h2>
<ol>${p.fixes.map((f) => `<li>${escape(f)}</li>`).join('')}</ol>
<p>Data directory: <code>${escape(p.dataDir)}</code></p>
</main>
</body>
</html>
`;
}

export const STARTUP_PROBLEM_CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:46rem;margin:3rem auto;padding:0 1.5rem}h1{font-size:1.5rem}
[role=alert]{border-left:4px solid #b42318;padding:.5rem 1rem;background:#fef3f2}
code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}
@media (prefers-color-scheme:dark){body{color:#e6e9ee;background:#15181d}[role=alert]{background:#3a1714}}
`;
