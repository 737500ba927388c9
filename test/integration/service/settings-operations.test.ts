// The console's Settings page changes the running host: intervals at once, admission for the next
// request, the port and addresses by restarting the listener (and, when the new port cannot be
// opened, listening where it did and storing nothing). Each refusal names what is wrong. The CLI
// shows the same values, from the same operations.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingChangeResult, SettingsView } from '../../../shared/ipc/settings-channels.js';
import type { Wrapped } from '../../../shared/ipc/views.js';
import { encodeActivationRequest } from '../../../shared/protocol/index.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { readStoredNetworkSettings } from '../../../src-main/host/network-settings.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { dispatchInvoke } from '../../../src-main/service/dispatch.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';
import { runQuorum } from '../../support/quorum-cli.js';

const HOUR = 3_600_000;
const running: { host: HostRuntime; service: ConsoleService }[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    r.service.close();
    await r.host.close();
  }
  for (const b of blockers.splice(0)) await new Promise((r) => b.close(r));
});

async function servingHost() {
  const dataDir = tempDataDir();
  activateDataDir(dataDir);
  const host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], housekeepingMs: HOUR });
  const service = createConsoleService(host, { statusCheckMs: HOUR });
  running.push({ host, service });
  const pushed: SettingsView[] = [];
  service.events.on('settings:changed', (s) => pushed.push(s));
  const set = (name: string, value: string) =>
    dispatchInvoke(service.contract, 'settings:set', { name, value }) as Promise<Wrapped<SettingChangeResult>>;
  return { host, service, pushed, set };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function activate(port: number): Promise<number> {
  const reply = await rpcCall({ host: '127.0.0.1', port }, 0, encodeActivationRequest(activationRequest('desktop')));
  return reply.length;
}

describe('settings through the running host', () => {
  it('applies a new activation interval at once and the CLI shows it', async () => {
    const h = await servingHost();
    const r = await h.set('activation-interval', '60');
    expect(r.ok && r.value.applied).toMatch(/uses 60 minutes now/);
    expect(h.host.engine.intervals.activationIntervalMin).toBe(60);
    expect(h.pushed.at(-1)?.settings.find((s) => s.name === 'activation-interval')?.value).toBe(60);
    const cli = await runQuorum('settings', '--json', '--data-dir', h.host.dataDir);
    const listed = JSON.parse(cli.out) as { name: string; value: unknown }[];
    expect(listed.find((s) => s.name === 'activation-interval')?.value).toBe(60);
  });

  it.each([
    ['activation-interval', '14', /activation-interval: .*from 15 \(15 minutes\) to 43200/],
    ['renewal-interval', 'weekly', /not a whole number/],
    ['request-log-max-age', '0', /request-log-max-age: .*from 1/],
    ['allowed-ranges', '10.0.0.0/33', /allowed-ranges: "10.0.0.0\/33" is not an address range/],
    ['port', '70000', /port: .*from 1 to 65535/],
    ['listen-addresses', 'office-pc', /listen-addresses: "office-pc" is not an IP address/],
    ['site-token', 'yes', /neither "rotate" nor "off"/],
  ])('refuses %s = %s with the reason, changing nothing', async (name, value, message) => {
    const h = await servingHost();
    const r = await h.set(name, value);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('SETTING_INVALID');
      expect(r.error.message).toMatch(message);
    }
    expect(h.pushed).toEqual([]);
  });

  it('refuses an unknown setting name in the payload', async () => {
    const h = await servingHost();
    const r = await h.set('colour', 'blue');
    expect(r.ok || r.error.code).toBe('IPC_INVALID_INPUT');
  });

  it('restarts the listener on a new port; a port in use leaves it where it was', async () => {
    const h = await servingHost();
    const before = h.host.addresses()[0]!.port;
    const port = await freePort();
    const moved = await h.set('port', String(port));
    expect(moved.ok && moved.value.applied).toBe(`The listener restarted: listening on 127.0.0.1:${port}.`);
    expect(h.host.addresses()[0]!.port).toBe(port);
    expect(await activate(port)).toBeGreaterThan(0);
    await expect(activate(before)).rejects.toThrow();

    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    const refused = await h.set('port', String(taken));
    expect(refused.ok || refused.error.code).toBe('HOST_PORT_IN_USE');
    expect(h.host.addresses()[0]!.port).toBe(port);
    expect(await activate(port)).toBeGreaterThan(0);
    const view = (await dispatchInvoke(h.service.contract, 'settings:get', {})) as Wrapped<SettingsView>;
    expect(view.ok && view.value.settings.find((s) => s.name === 'port')?.value).toBe(port);
  });

  it('admits by range and site token from the next request, and shows the token on request', async () => {
    const h = await servingHost();
    const port = h.host.addresses()[0]!.port;
    const statusOf = async () => {
      const before = h.host.engine.status().counters.all.failed;
      await activate(port);
      return h.host.engine.status().counters.all.failed > before ? 'refused' : 'admitted';
    };
    expect(await statusOf()).toBe('admitted');
    expect((await h.set('allowed-ranges', '192.0.2.0/24, 2001:db8::/32')).ok).toBe(true);
    expect(await statusOf()).toBe('refused');
    const anyAddress = await h.set('allowed-ranges', 'any');
    expect(anyAddress.ok && anyAddress.value.setting).toMatchObject({ value: [], text: 'any', isDefault: true });
    expect(await statusOf()).toBe('admitted');

    const rotated = await h.set('site-token', 'rotate');
    expect(rotated.ok && rotated.value.setting.value).toBe(true);
    const shown = (await dispatchInvoke(h.service.contract, 'settings:site-token', {})) as Wrapped<{ token: string }>;
    const token = shown.ok ? shown.value.token : '';
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(await statusOf()).toBe('refused');
    const cli = await runQuorum('settings', 'site-token', '--json', '--data-dir', h.host.dataDir);
    expect(JSON.parse(cli.out)).toEqual({ token });
    expect((await h.set('site-token', 'off')).ok).toBe(true);
    expect(await statusOf()).toBe('admitted');
  });
});

describe('network settings from the command line', () => {
  it('reach a running host that follows the stored admission within its housekeeping, and one set by flags not', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir);
    const lines: string[] = [];
    const start = (follow: boolean) =>
      startHost({
        dataDir,
        listen: [{ host: '127.0.0.1', port: 0 }],
        housekeepingMs: 20,
        followStoredAdmission: follow,
        log: (l) => lines.push(l),
      });
    const refusedAfter = async (host: HostRuntime, change: string[]) => {
      expect((await runQuorum('settings', 'set', ...change, '--data-dir', dataDir)).code).toBe(0);
      await new Promise((r) => setTimeout(r, 200)); // ten housekeeping periods
      const before = host.engine.status().counters.all.failed;
      await activate(host.addresses()[0]!.port);
      return host.engine.status().counters.all.failed > before;
    };
    let host = await start(true);
    try {
      expect(await refusedAfter(host, ['allowed-ranges', '192.0.2.0/24'])).toBe(true);
      expect(lines).toContain('admission changed: clients from 192.0.2.0/24 only; no site token needed');
      expect(await refusedAfter(host, ['allowed-ranges', 'any'])).toBe(false);
    } finally {
      await host.close();
    }
    host = await start(false);
    try {
      expect(await refusedAfter(host, ['allowed-ranges', '192.0.2.0/24'])).toBe(false);
    } finally {
      await host.close();
    }
  });

  it('are checked, stored, listed, and used by the next quorum serve', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir);
    const bad = await runQuorum('settings', 'set', 'port', '0', '--data-dir', dataDir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/port: It must be a whole number from 1 to 65535; got "0"\..*SETTING_INVALID/);
    const port = await freePort();
    for (const args of [
      ['allowed-ranges', '127.0.0.0/8,', 'fd00::/8'],
      ['site-token', 'rotate'],
      ['listen-addresses', '127.0.0.1'],
      ['port', String(port)],
    ]) {
      const r = await runQuorum('settings', 'set', ...args, '--data-dir', dataDir);
      expect(r.code, r.err).toBe(0);
    }
    const stored = readStoredNetworkSettings(dataDir);
    expect(stored).toMatchObject({ port, addresses: ['127.0.0.1'], allowedRanges: ['127.0.0.0/8', 'fd00::/8'] });
    expect(stored.siteToken).toMatch(/^[\w-]{32}$/);
    const list = JSON.parse((await runQuorum('settings', '--json', '--data-dir', dataDir)).out) as {
      name: string;
      text: string;
    }[];
    expect(Object.fromEntries(list.map((x) => [x.name, x.text]))).toMatchObject({
      'allowed-ranges': '127.0.0.0/8, fd00::/8',
      'site-token': 'on',
      port: String(port),
      'listen-addresses': '127.0.0.1',
    });

    const child = spawn('node', ['bin/quorum.js', 'serve', '--data-dir', dataDir, '--console', 'off'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    try {
      for (let i = 0; i < 200 && !text.includes('requests must carry the site token') && child.exitCode === null; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(text).toContain(`listening on 127.0.0.1:${port}`);
      expect(text).toContain('admitting clients from 127.0.0.0/8, fd00::/8 only');
      expect(text).toContain('requests must carry the site token');
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
  });
});
