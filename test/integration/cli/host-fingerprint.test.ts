/**
 * docs/protocol.md §6, "Obtaining the fingerprint": an admin reads the host's fingerprint and host
 * id from `quorum status`, `quorum key info` (text and --json) without any log, and a client shows
 * the host it pinned and the host that answered in `quorum client status`.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_IDENTITY_FILE } from '../../../src-main/host/identity.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';
import { runQuorum } from '../../support/quorum-cli.js';

let host: HostRuntime;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  activateDataDir(dataDir);
  host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
});
afterAll(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the host's fingerprint and host id", () => {
  it('are in quorum status, as text and as JSON', async () => {
    const json = await runQuorum('status', '--data-dir', dataDir, '--json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.out) as { host: unknown }).host).toEqual({
      fingerprint: host.identity.fingerprint,
      fingerprintShort: host.identity.fingerprintShort,
      hostId: host.identity.hostId,
      publicKeyHex: Buffer.from(host.identity.publicKey).toString('hex'),
    });
    const text = await runQuorum('status', '--data-dir', dataDir);
    expect(text.out).toMatch(new RegExp(`Host ID:\\s+${host.identity.hostId}`));
    expect(text.out).toMatch(new RegExp(`Key fingerprint:\\s+${host.identity.fingerprint}`));
  });

  it('are in quorum key info, as text and as JSON', async () => {
    const json = await runQuorum('key', 'info', '--data-dir', dataDir, '--json');
    const info = JSON.parse(json.out) as { state: string; host: { fingerprint: string; hostId: string } };
    expect(info.state).toBe('activated');
    expect(info.host).toMatchObject({ fingerprint: host.identity.fingerprint, hostId: host.identity.hostId });
    const text = await runQuorum('key', 'info', '--data-dir', dataDir);
    expect(text.out).toContain(`Host ID:      ${host.identity.hostId}`);
    expect(text.out).toContain(`Key fingerprint: ${host.identity.fingerprint}`);
  });

  it('are reported as not created yet, and not created, before the host first starts', async () => {
    const fresh = tempDataDir();
    try {
      activateDataDir(fresh);
      const json = await runQuorum('key', 'info', '--data-dir', fresh, '--json');
      expect((JSON.parse(json.out) as { host: { error: string } }).host.error).toMatch(/No host identity yet/);
      const text = await runQuorum('status', '--data-dir', fresh);
      expect(text.out).toMatch(/Host identity:\s+No host identity yet/);
      expect(existsSync(join(fresh, HOST_IDENTITY_FILE))).toBe(false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('are in quorum client status: the pinned host and the host that answered', async () => {
    const state = join(dataDir, 'client-state.json');
    const target = `127.0.0.1:${host.addresses()[0]!.port}`;
    // One client of 25: the host answers (count 1), the client pins it and is not activated yet.
    const attempt = await runQuorum('client', 'activate', '--product', 'desktop', '--host', target, '--state', state);
    expect(attempt.err).toContain('Not activated yet');
    const json = await runQuorum('client', 'status', '--state', state, '--json');
    const status = JSON.parse(json.out) as {
      pinnedHosts: { host: string; hostId: string; fingerprint: string }[];
      licenses: { lastAttempt: { hostId: string; fingerprint: string } }[];
    };
    expect(status.pinnedHosts).toEqual([
      { host: target, hostId: host.identity.hostId, fingerprint: host.identity.fingerprint },
    ]);
    expect(status.licenses[0]!.lastAttempt).toMatchObject({
      hostId: host.identity.hostId,
      fingerprint: host.identity.fingerprint,
    });
    const text = await runQuorum('client', 'status', '--state', state);
    expect(text.out).toContain(`${target}  ${host.identity.hostId}  ${host.identity.fingerprint}`);
    expect(text.out).toContain(`answered by   ${host.identity.hostId}, key fingerprint ${host.identity.fingerprint}`);
  });
});
