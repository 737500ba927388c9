// A new user's walk through the key commands, as separate `quorum` processes on temp data dirs:
// issue a key, install it, activate online on one host and offline on another, read the counts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'quorum-cli-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function quorum(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/quorum.js', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('quorum key / authority from the command line', () => {
  it('issues, installs, activates online and offline, and shows the counts', () => {
    const authority = join(root, 'authority');
    const hostA = join(root, 'host-a');
    const hostB = join(root, 'host-b');

    expect(quorum('key', 'activate', '--help').out).toContain('--confirmation CID');

    const issued = quorum('authority', 'issue', '--family', 'desktop', '--data-dir', authority);
    expect(issued.code).toBe(0);
    const key = issued.out.trim();
    expect(key).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){4}$/);

    const installed = quorum('key', 'install', key.toLowerCase(), '--data-dir', hostA);
    expect(installed.code).toBe(0);
    expect(installed.out).toContain(`*****-*****-*****-*****-${key.slice(-5)}`);
    expect(installed.out).not.toContain(key.slice(0, 5));

    const online = quorum('key', 'activate', '--authority', authority, '--data-dir', hostA, '--json');
    expect(online.code).toBe(0);
    expect(JSON.parse(online.out)).toMatchObject({
      state: 'activated',
      activation: { hostsUsed: 1, activationNumber: 1 },
    });

    expect(quorum('key', 'install', key, '--data-dir', hostB).code).toBe(0);
    const offline = quorum('key', 'activate', '--offline', '--data-dir', hostB, '--json');
    const iid = (JSON.parse(offline.out) as { installationId: string }).installationId;
    const confirmed = quorum('authority', 'confirm', ...iid.split('-'), '--data-dir', authority, '--json');
    expect(confirmed.code).toBe(0);
    const cid = (JSON.parse(confirmed.out) as { confirmationId: string }).confirmationId;

    const typo = `${cid[0] === '9' ? '8' : '9'}${cid.slice(1)}`;
    const refused = quorum('key', 'activate', '--confirmation', typo, '--data-dir', hostB);
    expect(refused.code).toBe(1);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toContain('Group 1 of the confirmation ID does not check');

    expect(quorum('key', 'activate', '--confirmation', cid, '--data-dir', hostB).code).toBe(0);
    const info = quorum('key', 'info', '--data-dir', hostB);
    expect(info.out).toContain('Hosts used:   2 of 6 (as of the confirmation)');
    expect(info.out).toContain('Activations:  1 of 10');

    const ledger = JSON.parse(quorum('authority', 'ledger', '--data-dir', authority, '--json').out) as {
      keys: { hostsUsed: number }[];
    };
    expect(ledger.keys[0]!.hostsUsed).toBe(2);
  });

  it('explains a mistyped key in one line with the group, and exits non-zero', () => {
    const r = quorum('key', 'install', 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAO', '--data-dir', join(root, 'typo'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^quorum: Group 5, character 5: "O" is not in Quorum keys/);
    expect(quorum('authority', 'issue', '--family', 'printer', '--data-dir', join(root, 'x')).code).toBe(2);
  });
});
