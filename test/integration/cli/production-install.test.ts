// A production install: the built output plus only the production dependencies (what
// `npm ci --omit=dev` leaves, read from package-lock.json), copied to a directory of its own with no
// devDependency anywhere above it. No tsx, no vite, no TypeScript: `quorum` must still issue and
// install a key, report status and serve the host with its web console.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
}

const app = mkdtempSync(join(tmpdir(), 'quorum-prod-'));
const dataDir = join(app, 'data');

function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && !entry.devOptional)
    .map(([path]) => path);
}

function quorum(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/quorum.js', ...args], { cwd: app, encoding: 'utf8', timeout: 8_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  for (const path of [
    'package.json',
    'package-lock.json',
    'bin/quorum.js',
    'scripts/prepare.js',
    'out/cli',
    'out/renderer',
  ]) {
    cpSync(path, join(app, path), { recursive: true });
  }
  for (const pkg of productionPackages()) {
    // Hard links: a real tree of its own (resolution walks up from these paths), made in a moment.
    // Nested packages (a/node_modules/b) arrive with their parent.
    if (existsSync(join(app, pkg))) continue;
    mkdirSync(dirname(join(app, pkg)), { recursive: true });
    execFileSync('cp', ['-al', pkg, join(app, pkg)]);
  }
}, 60_000);

afterAll(() => rmSync(app, { recursive: true, force: true }));

describe('quorum from a production install (no devDependencies)', () => {
  it('has no development tool to fall back on', () => {
    const resolveFrom = createRequire(join(app, 'bin', 'quorum.js'));
    for (const tool of ['tsx', 'vite', 'typescript', 'electron']) {
      expect(() => resolveFrom.resolve(tool)).toThrow();
    }
    expect(existsSync(join(app, 'node_modules', 'better-sqlite3'))).toBe(true);
  });

  it('runs npm ci\u2019s prepare step without build tools: nothing to build, nothing to say', () => {
    const r = spawnSync(process.execPath, ['scripts/prepare.js'], { cwd: app, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('issues, installs and activates a key, then reports status', () => {
    const issued = quorum('authority', 'issue', '--family', 'desktop', '--data-dir', dataDir, '--json');
    expect(issued.err).toBe('');
    expect(issued.code).toBe(0);
    const key = (JSON.parse(issued.out) as { key: string }).key;
    expect(quorum('key', 'install', key, '--data-dir', dataDir).code).toBe(0);
    expect(quorum('key', 'activate', '--data-dir', dataDir).code).toBe(0);
    const status = quorum('status', '--data-dir', dataDir, '--json');
    expect(status.err).toBe('');
    expect(status.code).toBe(0);
    const report = JSON.parse(status.out) as { ok: boolean; status: { serving: boolean; keyCovers: string } };
    expect(report.ok).toBe(true);
    expect(report.status.serving).toBe(true);
    expect(report.status.keyCovers).toMatch(/^desktop/);
  });

  it('serves the host and the web console, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/quorum.js',
        'serve',
        '--data-dir',
        dataDir,
        '--listen',
        '127.0.0.1',
        '--port',
        '0',
        '--console',
        '127.0.0.1:0',
      ],
      { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 8_000;
      let url: string | undefined;
      while (!url && child.exitCode === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        if (/listening on 127\.0\.0\.1:\d+/.test(text)) url = /console: (http\S+)/.exec(text)?.[1];
      }
      expect(url, text).toBeDefined();
      const page = await fetch(url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
