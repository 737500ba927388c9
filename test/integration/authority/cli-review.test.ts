// The key commands as separate `quorum` processes: refusals carry their code, the coverage shown
// matches what the host serves, and the six-host limit holds when hosts activate at the same time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { installKey } from '../../../src-main/authority/index.js';

const clock = new VirtualClock();

const root = mkdtempSync(join(tmpdir(), 'quorum-cli-review-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}

function quorum(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['bin/quorum.js', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function quorumAsync(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/quorum.js', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

describe('quorum key / authority refusals and output', () => {
  it('ends every refusal line with its code, keeps it to one line, and never shows the whole key', () => {
    const authority = join(root, 'authority');
    const host = join(root, 'host');
    const key = quorum(
      'authority',
      'issue',
      '--family',
      'server',
      '--generation',
      '2',
      '--data-dir',
      authority,
    ).out.trim();
    const installed = quorum('key', 'install', key, '--data-dir', host);
    expect(installed.out).toContain('(server and desktop, generations 1 to 2)');
    expect(quorum('key', 'info', '--data-dir', host).out).toContain(
      'Covers:       server and desktop, generations 1 to 2',
    );

    const checks: [string[], number, string][] = [
      [['key', 'activate', '--data-dir', host], 1, 'AUTHORITY_NOT_FOUND'],
      [['key', 'activate', '--authority', '', '--data-dir', host], 2, 'USAGE'],
      [
        ['key', 'activate', '--confirmation', '0000000-0000000-0000000', '--data-dir', host],
        1,
        'KEY_NO_OFFLINE_REQUEST',
      ],
      [['key', 'install', `${key.slice(0, -1)}O`, '--data-dir', host], 1, 'KEY_CHARACTER'],
      [['authority', 'confirm', '1234567', '--data-dir', authority], 1, 'INSTALLATION_ID_LENGTH'],
      [['authority', 'issue', '--family', 'printer', '--data-dir', authority], 2, 'USAGE'],
    ];
    for (const [args, code, errorCode] of checks) {
      const r = quorum(...args);
      expect(r.code, args.join(' ')).toBe(code);
      const lines = r.err.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(new RegExp(`^quorum: .+ \\(${errorCode}\\)$`));
      expect(r.err + r.out).not.toContain(key.slice(0, 11));
    }
    // With --json the code is in the error object, and stderr stays empty.
    const json = quorum('key', 'activate', '--data-dir', host, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, error: { code: 'AUTHORITY_NOT_FOUND' } });
  }, 120_000);

  it('holds the six-host limit when nine hosts activate against one authority at the same time', async () => {
    const authority = join(root, 'busy-authority');
    const key = quorum('authority', 'issue', '--family', 'desktop', '--data-dir', authority).out.trim();
    const hosts = Array.from({ length: 9 }, (_, i) => join(root, `busy-host-${i}`));
    // Installing is local to each host: done in this process to keep the test short.
    for (const h of hosts) installKey(h, clock, key);
    const runs = await Promise.all(
      hosts.map((h) => quorumAsync('key', 'activate', '--authority', authority, '--data-dir', h, '--json')),
    );
    const granted = runs.filter((r) => r.code === 0);
    const refused = runs.filter((r) => r.code !== 0);
    expect(granted).toHaveLength(6);
    expect(refused.map((r) => (JSON.parse(r.out) as { error: { code: string } }).error.code)).toEqual([
      'KEY_HOST_LIMIT',
      'KEY_HOST_LIMIT',
      'KEY_HOST_LIMIT',
    ]);
    const used = granted.map((r) => (JSON.parse(r.out) as { activation: { hostsUsed: number } }).activation.hostsUsed);
    expect(used.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const ledger = JSON.parse(quorum('authority', 'ledger', '--data-dir', authority, '--json').out) as {
      keys: { hostsUsed: number }[];
    };
    expect(ledger.keys[0]!.hostsUsed).toBe(6);
    // Nine processes start at once on a small machine: allow them time, assert nothing on it.
  }, 180_000);
});
