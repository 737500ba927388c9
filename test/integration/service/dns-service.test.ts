/**
 * The console's DNS channels over a running host and a real BIND9: add a zone with a pasted key,
 * the list with the last result, a failed publish raising an event, and the check raising one
 * for a stale record. Payloads go through dispatchInvoke, as both transports send them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsListView, DnsResultView } from '../../../shared/ipc/dns-channels.js';
import type { HostEventView, Wrapped } from '../../../shared/ipc/views.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { dispatchInvoke } from '../../../src-main/service/dispatch.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { portOf, startDnsHost } from '../dns/support/dns-fixtures.js';

let bind: Bind9;
let host: HostRuntime;
let service: ConsoleService;
const events: HostEventView[] = [];

beforeAll(async () => {
  bind = await startBind9({ records: ['_quorum._tcp 300 IN SRV 0 10 9 gone', 'gone IN A 127.0.0.1'] });
  host = await startDnsHost();
  service = createConsoleService(host);
  service.events.on('host:event', (e) => events.push(e));
});
afterAll(async () => {
  service?.close();
  await host?.close();
  await bind?.stop();
});

async function call<T>(channel: string, input: unknown): Promise<Wrapped<T>> {
  return (await dispatchInvoke(service.contract, channel, input)) as Wrapped<T>;
}

describe('the console DNS service', () => {
  it('adds a zone with a pasted key, publishes it and lists the result', async () => {
    const added = await call<DnsResultView>('dns:add-zone', {
      zone: 'office.test',
      server: bind.server,
      keyText: readFileSync(bind.keyFile, 'utf8'),
      priority: 2,
      weight: 30,
      target: 'console-host.office.test',
      addresses: ['127.0.0.1'],
    });
    expect(added, JSON.stringify(added)).toMatchObject({ ok: true, value: { ok: true, action: 'publish' } });
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toContain(
      `2 30 ${portOf(host)} console-host.office.test.`,
    );
    const list = await call<DnsListView>('dns:list', {});
    expect(list.ok && list.value.zones[0]).toMatchObject({
      zone: 'office.test',
      keyName: 'quorum-key',
      published: { port: portOf(host), target: 'console-host.office.test' },
      last: { ok: true },
    });
    expect(JSON.stringify(list)).not.toContain(bind.keySecret);
  });

  it("a console publish waits its turn behind the host's own sync, so the two never race", async () => {
    let release!: () => void;
    const held = host.dns.exclusive(() => new Promise<void>((r) => (release = r)));
    let settled = false;
    const publishing = call<DnsResultView>('dns:publish-now', { zone: 'office.test' }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    release();
    await held;
    const published = await publishing;
    expect(published, JSON.stringify(published)).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('refuses a key that is not a key file, naming what is wrong', async () => {
    const r = await call('dns:add-zone', { zone: 'office.test', server: bind.server, keyText: 'hello' });
    expect(r).toMatchObject({ ok: false, error: { code: 'DNS_KEY_INVALID' } });
    const bad = await call('dns:add-zone', { zone: 'office.test', server: bind.server, keyText: 'k', priority: -1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
  });

  it('raises an event when a publish fails and when a check finds a stale record', async () => {
    const keyText = readFileSync(bind.keyFile, 'utf8').replace(bind.keySecret, Buffer.alloc(32, 9).toString('base64'));
    const failed = await call<DnsResultView>('dns:add-zone', { zone: 'office.test', server: bind.server, keyText });
    expect(failed).toMatchObject({ ok: true, value: { ok: false, code: 'DNS_UPDATE_BADSIG' } });
    expect(events.at(-1)).toMatchObject({ kind: 'dns-publish-failed', severity: 'warning', view: 'dns' });
    expect(events.at(-1)!.message).toContain('publishing to office.test failed');

    const check = await call<{ stale: number }>('dns:check', { domain: 'office.test', dnsServer: bind.server });
    expect(check).toMatchObject({ ok: true, value: { stale: 1 } });
    expect(events.at(-1)).toMatchObject({ kind: 'dns-stale-record', severity: 'warning' });
    expect(events.at(-1)!.message).toContain('gone.office.test:9');
    // Both are stored: they outlast a restart and wait in "Needs attention" until acknowledged.
    const stored = await call<{ kind: string }[]>('host:events', {});
    expect(stored.ok && stored.value.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['dns-publish-failed', 'dns-stale-record']),
    );
  });
});
