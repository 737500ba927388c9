/**
 * `quorum client ...` as a new user runs it: separate processes, a real Quorum host (key issued,
 * installed and activated) behind SRV records in a real BIND9, one dead host in the preferred
 * priority group.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateOnline, installKey, issueKey } from '../../../src-main/authority/index.js';
import { createClient } from '../../../src-main/client/client.js';
import { memoryStateStore } from '../../../src-main/client/state-file.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { deadPort } from './support/rpc-test-host.js';

const clock = { now: () => Date.now() };
let root: string;
let host: HostRuntime;
let bind: Bind9;
let dead: number;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs `quorum ...` in its own process (the host runs in this one, so the call must not block). */
function quorum(args: string[], until?: { text: string; then: NodeJS.Signals }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/quorum.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (until && !signalled && out.includes(until.text)) {
        signalled = true;
        child.kill(until.then);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, out, err });
    });
  });
}

const discover = () => ['--domain', 'office.test', '--dns-server', bind.server, '--product', 'desktop'];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'quorum-client-cli-'));
  const dataDir = join(root, 'host');
  const key = issueKey(dataDir, clock, 'desktop', 3);
  installKey(dataDir, clock, key.text);
  activateOnline(dataDir, clock);
  host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
  dead = await deadPort();
  const port = host.addresses()[0]!.port;
  bind = await startBind9({
    zone: 'office.test',
    records: [
      `_quorum._tcp IN SRV 0 50 ${dead} quorum-old`,
      `_quorum._tcp IN SRV 10 50 ${port} quorum1`,
      'quorum-old IN A 127.0.0.1',
      'quorum1 IN A 127.0.0.1',
    ],
  });
});
afterAll(async () => {
  await bind?.stop();
  await host?.close();
  await rm(root, { recursive: true, force: true });
});

describe('quorum client (CLI)', () => {
  it('explains an insufficient count, then activates once 25 machines have asked', async () => {
    const first = await quorum(['client', 'activate', ...discover(), '--state', join(root, 'pc1.json')]);
    expect(first.code).toBe(1);
    expect(first.err.trim().split('\n')).toHaveLength(1);
    expect(first.err).toContain('has seen 1 of the 25 clients it needs');
    expect(first.err).toContain('(CLIENT_COUNT_INSUFFICIENT)');

    // 23 more machines through the library (each its own CMID), so the next one is the 25th.
    for (let i = 2; i <= 24; i++) {
      const c = createClient({
        stateFile: `pc${i}`,
        stateStore: memoryStateStore(`pc${i}`),
        product: 'desktop',
        hosts: [`127.0.0.1:${host.addresses()[0]!.port}`],
        machineName: `pc${i}`,
        isVm: i % 2 === 0,
      });
      expect((await c.activateOnce()).count).toBe(i);
    }

    const state = join(root, 'pc25.json');
    const ok = await quorum(['client', 'activate', ...discover(), '--state', state, '--machine-name', 'pc25']);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^Activated desktop by host QH-[0-9A-F-]+ at quorum1\.office\.test:\d+ \(count 25/);

    const status = await quorum(['client', 'status', '--state', state, '--json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.out) as { cachedHost: string; licenses: { stateName: string }[] };
    expect(parsed.licenses[0]!.stateName).toBe('licensed');
    expect(parsed.cachedHost).toBe(`quorum1.office.test:${host.addresses()[0]!.port}`);

    // The first machine, retrying, is now activated too.
    const again = await quorum(['client', 'activate', ...discover(), '--state', join(root, 'pc1.json'), '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ ok: true, count: 25, threshold: 25, hostId: host.identity.hostId });
  });

  it('exits non-zero with the specific error when nothing is published, nothing answers, or options are wrong', async () => {
    const [none, deadHost, usage, status] = await Promise.all([
      quorum(['client', 'activate', ...discover(), '--service', '_none._tcp', '--state', join(root, 'x.json')]),
      quorum([
        'client',
        'activate',
        '--host',
        `127.0.0.1:${dead}`,
        '--product',
        'server',
        '--state',
        join(root, 'y.json'),
      ]),
      quorum(['client', 'activate', '--domain', 'office.test']),
      quorum(['client', 'status', '--state', join(root, 'never.json')]),
    ]);
    expect(none.code).toBe(1);
    expect(none.err).toContain(`_none._tcp.office.test SRV returned no records from ${bind.server}`);
    expect(none.err).toContain('(CLIENT_DNS_NO_RECORDS)');
    expect(deadHost.code).toBe(1);
    expect(deadHost.err).toContain(`127.0.0.1:${dead}`);
    expect(deadHost.err).toContain('(CLIENT_NO_HOST_ANSWERED)');
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--product is required');
    expect(status.code).toBe(0);
    expect(status.out).toContain('has not tried to activate yet');
  });

  it('runs the agent until SIGTERM and stops cleanly', async () => {
    const run = await quorum(['client', 'run', ...discover(), '--state', join(root, 'agent.json')], {
      text: 'next attempt',
      then: 'SIGTERM',
    });
    expect(run, JSON.stringify(run)).toMatchObject({ err: '', code: 0 });
    expect(run.out).toContain(`trying quorum-old.office.test:${dead}`);
    expect(run.out).toContain('activated by quorum1.office.test');
    expect(run.out).toContain('stopped (SIGTERM)');
  });
});
