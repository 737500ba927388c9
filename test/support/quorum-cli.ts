/**
 * Runs the real CLI as a user would: `quorum authority issue`, `key install`, `key activate`, then
 * `quorum serve` on loopback with ephemeral ports, reading the addresses it prints. The CLI is the
 * built out/cli/quorum.js (test/support/built-cli.ts), as it ships.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src-main/cli/cli-kit.js';
import { main } from '../../src-main/cli/main.js';
import { CLI_ENTRY } from './built-cli.js';

export interface ServedHost {
  dataDir: string;
  port: number;
  consoleUrl: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export function quorum(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [CLI_ENTRY, ...args], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

export function activatedDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'quorum-e2e-'));
  const issued = quorum(['authority', 'issue', '--family', 'desktop', '--data-dir', dataDir, '--json']);
  const key = (JSON.parse(issued.stdout) as { key: string }).key;
  for (const args of [
    ['key', 'install', key],
    ['key', 'activate'],
  ]) {
    const r = quorum([...args, '--data-dir', dataDir]);
    if (r.code !== 0) throw new Error(`quorum ${args.join(' ')} failed: ${r.stderr}`);
  }
  return dataDir;
}

/** `allAddresses`: no --listen, as a user would start it (every address, "::" dual stack). */
export async function serve(
  dataDir: string,
  options: { allAddresses?: boolean; nodeArgs?: string[] } = {},
): Promise<ServedHost> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      CLI_ENTRY,
      'serve',
      '--data-dir',
      dataDir,
      ...(options.allAddresses ? [] : ['--listen', '127.0.0.1']),
      '--port',
      '0',
      '--console',
      '127.0.0.1:0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const port = /listening on (?:127\.0\.0\.1|\[::\]):(\d+)/.exec(text)?.[1];
    const consoleUrl = /console: (http\S+)/.exec(text)?.[1];
    if (port && consoleUrl) {
      return {
        dataDir,
        port: Number(port),
        consoleUrl,
        process: child,
        output: () => text,
        stop: () =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      // A host that starts too late must not outlive the caller, holding the data directory's lock.
      child.kill('SIGKILL');
      throw new Error(`quorum serve did not start:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `quorum` in this process (no child process): its exit code and what it wrote. */
export async function runQuorum(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}
