// The console's key operations run on the running host's own store connection and take effect at
// once: the host serves right after "activate" (no housekeeping poll: it is set to an hour here),
// and keys:changed and host:status-changed are pushed. The rules and errors are those of the CLI,
// which calls the same operations on its own handle.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../../shared/ipc/contract.js';
import type { Wrapped } from '../../../shared/ipc/views.js';
import { issueKey } from '../../../src-main/authority/index.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { dispatchInvoke } from '../../../src-main/service/dispatch.js';
import { tempDataDir } from '../../support/activated-host.js';
import { runQuorum } from '../../support/quorum-cli.js';

const HOUR = 3_600_000;
const clock = { now: () => Date.now() };
const running: { host: HostRuntime; service: ConsoleService }[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    r.service.close();
    await r.host.close();
  }
});

async function freshHost(dataDir = tempDataDir()) {
  const host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], housekeepingMs: HOUR });
  const service = createConsoleService(host, { statusCheckMs: HOUR });
  running.push({ host, service });
  const pushed: { channel: string; payload: unknown }[] = [];
  for (const channel of ['keys:changed', 'host:status-changed'] as const) {
    service.events.on(channel, (payload: EventPayloads[typeof channel]) => pushed.push({ channel, payload }));
  }
  const call = <T>(channel: string, input: unknown) =>
    dispatchInvoke(service.contract, channel, input) as Promise<Wrapped<T>>;
  const ok = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await call<T>(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  return { host, service, pushed, call, ok };
}

type KeyResult = { message: string; hostKey: { activationNumber: number | null; hostsUsed: number | null } | null };

describe('key operations through the running host', () => {
  it('issues, refuses a typo naming its group, installs, activates online and serves at once', async () => {
    const h = await freshHost();
    expect(h.host.gate().serving).toBe(false);
    const issued = await h.ok<{ key: string; covers: string }>('keys:issue', { family: 'desktop' });
    expect(issued.covers).toMatch(/desktop/);

    const groups = issued.key.split('-');
    const wrong = groups[2]![0] === 'A' ? 'B' : 'A';
    const typo = [groups[0], groups[1], wrong + groups[2]!.slice(1), groups[3], groups[4]].join('-');
    const refused = await h.call('keys:install', { key: typo });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('KEY_GROUP_CHECK');
      expect(refused.error.message).toMatch(/Group 3/);
    }

    const installed = await h.ok<KeyResult>('keys:install', { key: issued.key.toLowerCase() });
    expect(installed.message).toMatch(/Installed key \*{5}-\*{5}-\*{5}-\*{5}-/);
    expect(h.pushed.map((p) => p.channel)).toEqual(['keys:changed', 'host:status-changed']);

    const activated = await h.ok<KeyResult>('keys:activate-online', {});
    expect(activated.hostKey).toMatchObject({ activationNumber: 1, hostsUsed: 1 });
    expect(activated.message).toMatch(/host 1 of 6 .* activation 1 of 10/);
    expect(h.host.gate().serving).toBe(true);
    const lastStatus = h.pushed.filter((p) => p.channel === 'host:status-changed').at(-1)!.payload as {
      serving: boolean;
    };
    expect(lastStatus.serving).toBe(true);

    // The CLI reads the same state from the same database.
    const info = await runQuorum('key', 'info', '--json', '--data-dir', h.host.dataDir);
    expect(JSON.parse(info.out)).toMatchObject({ state: 'activated', activation: { activationNumber: 1 } });
  });

  it('spends a reactivation only when the one confirmed is the next one', async () => {
    const h = await freshHost();
    const { key } = await h.ok<{ key: string }>('keys:issue', { family: 'server' });
    await h.ok('keys:install', { key });
    await h.ok('keys:activate-online', {});

    const again = await h.call('keys:activate-online', {});
    expect(again.ok || again.error.code).toBe('KEY_ALREADY_ACTIVATED');
    const stale = await h.call('keys:activate-online', { reactivation: 2 });
    expect(stale.ok || stale.error.code).toBe('KEY_REACTIVATION_CHANGED');
    const outOfRange = await h.call('keys:activate-online', { reactivation: 10 });
    expect(outOfRange.ok || outOfRange.error.code).toBe('IPC_INVALID_INPUT');

    const re = await h.ok<KeyResult>('keys:activate-online', { reactivation: 1 });
    expect(re.hostKey?.activationNumber).toBe(2);
    expect(re.message).toMatch(/Reactivated online: .*reactivation 1 of 9/);
  });

  it('activates a second host offline with the confirmation ID of quorum authority confirm', async () => {
    const authorityDir = tempDataDir();
    const key = issueKey(authorityDir, clock, 'desktop', 3);
    const h = await freshHost();
    await h.ok('keys:install', { key: key.text });
    const request = await h.ok<{ installationId: string; groups: string[] }>('keys:start-offline', {});
    expect(request.groups).toHaveLength(8);
    expect(request.groups.every((g) => /^\d{7}$/.test(g))).toBe(true);
    // Asking again gives the same installation ID.
    expect((await h.ok<{ installationId: string }>('keys:start-offline', {})).installationId).toBe(
      request.installationId,
    );

    const confirmed = await runQuorum(
      'authority',
      'confirm',
      request.installationId,
      '--json',
      '--data-dir',
      authorityDir,
    );
    expect(confirmed.code).toBe(0);
    const cid = (JSON.parse(confirmed.out) as { confirmationId: string }).confirmationId;

    const digits = cid.split('-');
    const flipped = `${digits[0]}-${digits[1]!.slice(0, 6)}${(Number(digits[1]![6]) + 1) % 10}-${digits[2]}`;
    const bad = await h.call('keys:complete-offline', { confirmationId: flipped });
    expect(bad.ok || bad.error).toMatchObject({ code: 'CONFIRMATION_ID_GROUP_CHECK', message: /group 2/i });
    expect(h.host.gate().serving).toBe(false);

    const done = await h.ok<KeyResult>('keys:complete-offline', { confirmationId: cid });
    expect(done.hostKey).toMatchObject({ activationNumber: 1, hostsUsed: 1 });
    expect(h.host.gate().serving).toBe(true);
  });

  it('reactivates offline only with the confirmed reactivation, and the confirmation ID completes it', async () => {
    const h = await freshHost();
    const { key } = await h.ok<{ key: string }>('keys:issue', { family: 'office' });
    await h.ok('keys:install', { key });
    await h.ok('keys:activate-online', {});
    const silent = await h.call('keys:start-offline', {});
    expect(silent.ok || silent.error.code).toBe('KEY_ALREADY_ACTIVATED');
    const { installationId } = await h.ok<{ installationId: string }>('keys:start-offline', { reactivation: 1 });
    const confirmed = await runQuorum('authority', 'confirm', installationId, '--json', '--data-dir', h.host.dataDir);
    const cid = (JSON.parse(confirmed.out) as { confirmationId: string }).confirmationId;
    const done = await h.ok<KeyResult>('keys:complete-offline', { confirmationId: cid });
    expect(done.hostKey?.activationNumber).toBe(2);
    expect(done.message).toMatch(/Activated offline: .*reactivation 1 of 9/);
  });

  it('uninstalls: the host stops serving at once', async () => {
    const h = await freshHost();
    const { key } = await h.ok<{ key: string }>('keys:issue', { family: 'desktop' });
    await h.ok('keys:install', { key });
    await h.ok('keys:activate-online', {});
    const removed = await h.ok<KeyResult>('keys:uninstall', {});
    expect(removed.hostKey).toBeNull();
    expect(h.host.gate().serving).toBe(false);
    expect((await h.ok<KeyResult>('keys:uninstall', {})).message).toMatch(/No host key was installed/);
  });

  it.each([
    ['keys:install', { key: '' }, 'key'],
    ['keys:install', { key: 'x'.repeat(500) }, 'key'],
    ['keys:install', { key: 'ABCDE', extra: 1 }, ''],
    ['keys:issue', { family: 'printer' }, 'family'],
    ['keys:issue', { family: 'desktop', generation: 99 }, 'generation'],
    ['keys:complete-offline', {}, 'confirmationId'],
  ])('refuses %s with %j before it reaches the host', async (channel, input, path) => {
    const h = await freshHost();
    const r = await h.call(channel, input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('IPC_INVALID_INPUT');
      if (path) expect(r.error.message).toContain(`at ${path}`);
    }
    expect(h.pushed).toEqual([]);
  });
});
