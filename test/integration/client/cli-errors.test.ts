/**
 * What a person sees when a `quorum client` command fails before any attempt: a wrong option or
 * an unusable state file. Each is one line ending in its stable code, exit 2 for what was typed
 * and 1 for what was found, the same JSON shape with --json, and never a stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let root: string;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function quorum(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/quorum.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    // A command that should have failed at once but runs on (an agent loop) must not outlive the test.
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, out, err });
    });
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'quorum-client-cli-errors-'));
  await writeFile(join(root, 'damaged.json'), '{"version": 1, "cmid": "c4e52816-461d-49');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const oneLine = (run: Run, code: string): void => {
  expect(run.err.trim().split('\n'), run.err).toHaveLength(1);
  expect(run.err).toMatch(new RegExp(`^quorum: .+ \\(${code}\\)\\n$`));
  expect(run.err).not.toMatch(/\n\s+at /);
  expect(run.out).toBe('');
};

describe('quorum client errors', () => {
  it('a wrong option: one line with its code, exit 2', async () => {
    const state = ['--state', join(root, 'never-written.json')];
    const [product, port, pin, service] = await Promise.all([
      quorum(['client', 'activate', '--product', 'nosuch', '--host', '127.0.0.1:1', ...state]),
      quorum(['client', 'activate', '--product', 'server', '--host', '127.0.0.1:99999', ...state]),
      quorum(['client', 'run', '--product', 'server', '--host', '127.0.0.1:1', '--pin', '00112233', ...state]),
      quorum(['client', 'activate', '--product', 'server', '--domain', 'a.test', '--service', '_vlmcs._tcp', ...state]),
    ]);
    expect(product.code).toBe(2);
    oneLine(product, 'CLIENT_UNKNOWN_PRODUCT');
    expect(port.code).toBe(2);
    oneLine(port, 'CLIENT_BAD_ADDRESS');
    expect(port.err).toContain('the port 99999 is outside 1-65535');
    expect(pin.code).toBe(2);
    oneLine(pin, 'CLIENT_BAD_PIN');
    expect(service.code).toBe(2);
    oneLine(service, 'CLIENT_BAD_DISCOVERY');
  });

  it('a damaged state file: one line with its code, exit 1, for activate, run and status; JSON with --json', async () => {
    const state = ['--state', join(root, 'damaged.json')];
    const target = ['--product', 'server', '--host', '127.0.0.1:1'];
    const [activate, run, status, json] = await Promise.all([
      quorum(['client', 'activate', ...target, ...state]),
      quorum(['client', 'run', ...target, ...state]),
      quorum(['client', 'status', ...state]),
      quorum(['client', 'status', ...state, '--json']),
    ]);
    for (const r of [activate, run, status]) {
      expect(r.code).toBe(1);
      oneLine(r, 'CLIENT_STATE_DAMAGED');
    }
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, error: { code: 'CLIENT_STATE_DAMAGED' } });
  });
});
