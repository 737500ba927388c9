/**
 * The suite runs the CLI as it ships: the built out/cli/quorum.js under plain Node, never the
 * TypeScript sources through tsx. Vitest's global set-up builds it once when a source is newer than
 * the build (npm test builds it before Vitest starts; a single test file run may find it stale).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CLI_ENTRY = resolve('out/cli/quorum.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function cliBuildIsCurrent(): boolean {
  if (!existsSync(CLI_ENTRY) || !existsSync('out/cli/sim-worker.js')) return false;
  const sources = Math.max(newestSource('src-main'), newestSource('shared'), statSync('vite.cli.config.ts').mtimeMs);
  return statSync(CLI_ENTRY).mtimeMs >= sources;
}

function viteBuild(config: string, ...extra: string[]): void {
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', config, ...extra, '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
}

/**
 * Vitest globalSetup; also the console `quorum serve` serves and the desktop main bundle (the
 * packaging tests read them), when they were never built.
 */
export default function setup(): void {
  if (!cliBuildIsCurrent()) {
    viteBuild('vite.cli.config.ts');
    viteBuild('vite.cli.config.ts', '--mode', 'sim-worker');
  }
  if (!existsSync('out/main/index.js') || !existsSync('out/preload/index.cjs')) {
    execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
  } else if (!existsSync('out/renderer/index.html')) {
    viteBuild('vite.renderer.config.ts');
  }
}
