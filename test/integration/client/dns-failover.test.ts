/**
 * Discovery against a real BIND9 on loopback: three hosts in two priority groups, one dead.
 * Real DNS, real DCE/RPC over TCP, real state file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type ClientOptions } from '../../../src-main/client/client.js';
import type { ClientEvent } from '../../../src-main/client/events.js';
import { readClientState } from '../../../src-main/client/state-file.js';
import { createSrvLookup } from '../../../src-main/dns/srv-lookup.js';
import { orderSrvTargets, seededRandom } from '../../../src-main/dns/srv-select.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { deadPort, startRpcTestHost, type RpcTestHost } from './support/rpc-test-host.js';

const clock = { now: () => Date.now() };
let bind: Bind9;
let alpha: RpcTestHost;
let gamma: RpcTestHost;
let dead: number;
let dir: string;

beforeAll(async () => {
  alpha = await startRpcTestHost(clock, 1);
  gamma = await startRpcTestHost(clock, 2);
  dead = await deadPort();
  bind = await startBind9({
    zone: 'office.test',
    records: [
      // The preferred group holds only the dead host, so every discovery has to fail over.
      `_quorum._tcp IN SRV 0 100 ${dead} dead`,
      `_quorum._tcp IN SRV 10 60 ${alpha.port} alpha`,
      `_quorum._tcp IN SRV 10 40 ${gamma.port} gamma`,
      'dead IN A 127.0.0.1',
      'alpha IN A 127.0.0.1',
      'gamma IN A 127.0.0.1',
    ],
  });
});
afterAll(async () => {
  await bind?.stop();
  await alpha?.listener.close();
  await gamma?.listener.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-dns-client-'));
  return () => rm(dir, { recursive: true, force: true });
});

function client(events: ClientEvent[], extra: Partial<ClientOptions> = {}) {
  return createClient({
    stateFile: join(dir, 'state.json'),
    product: 'desktop',
    domains: ['office.test'],
    dnsServer: bind.server,
    machineName: 'pc-dns',
    isVm: false,
    onEvent: (e) => events.push(e),
    ...extra,
  });
}

const tried = (events: ClientEvent[]) =>
  events.filter((e) => e.type === 'host-try').map((e) => (e as { host: string }).host);
const dnsQueries = (events: ClientEvent[]) => events.filter((e) => e.type === 'dns-query').length;

describe('client discovery against BIND9', () => {
  it('reads the SRV set from BIND and orders it by RFC 2782 (10,000 seeded draws honour 60/40)', async () => {
    const records = await createSrvLookup({ dnsServer: bind.server }).srv('_quorum._tcp.office.test');
    expect(records).toHaveLength(3);
    const random = seededRandom(1688);
    const n = 10_000;
    let alphaSecond = 0;
    for (let i = 0; i < n; i++) {
      const order = orderSrvTargets(records, random);
      expect(order[0]!.name).toBe('dead.office.test');
      if (order[1]!.name === 'alpha.office.test') alphaSecond++;
    }
    // Expected 0.6 (RFC inclusive draw: 60 or 61 of 101 depending on the RRset order BIND returns).
    expect(Math.abs(alphaSecond / n - 0.6)).toBeLessThan(0.025);
  });

  it('fails over from the dead host, activates, caches the answering host and pins its key', async () => {
    const events: ClientEvent[] = [];
    const out = await client(events).activateOnce();
    expect(out.activated).toBe(true);
    const order = tried(events);
    expect(order[0]).toBe(`dead.office.test:${dead}`);
    expect(events.find((e) => e.type === 'host-failed')).toMatchObject({ code: 'RPC_CONNECT_REFUSED' });
    expect([`alpha.office.test:${alpha.port}`, `gamma.office.test:${gamma.port}`]).toContain(out.host);
    const state = await readClientState(join(dir, 'state.json'));
    expect(state!.cachedHost).toEqual({
      host: out.host!.split(':')[0],
      port: Number(out.host!.split(':')[1]),
      via: '_quorum._tcp.office.test',
    });
    expect(Object.keys(state!.pins)).toEqual([out.host]);
  });

  it('renews with the cached host without asking DNS, and asks DNS again once that host stops', async () => {
    const first: ClientEvent[] = [];
    const c1 = await client(first).activateOnce();
    const cachedIsAlpha = c1.host!.startsWith('alpha');
    const [stopped, other] = cachedIsAlpha ? [alpha, gamma] : [gamma, alpha];

    const second: ClientEvent[] = [];
    const c2 = await client(second).activateOnce();
    expect(c2.host).toBe(c1.host);
    expect(dnsQueries(second)).toBe(0);
    expect(tried(second)).toEqual([c1.host]);

    await stopped.listener.close();
    try {
      const third: ClientEvent[] = [];
      const c3 = await client(third).activateOnce();
      expect(c3.activated).toBe(true);
      expect(third.find((e) => e.type === 'cache-dropped')).toMatchObject({ host: c1.host });
      expect(dnsQueries(third)).toBe(1);
      expect(c3.host).toBe(`${cachedIsAlpha ? 'gamma' : 'alpha'}.office.test:${other.port}`);
      expect((await readClientState(join(dir, 'state.json')))!.cachedHost?.port).toBe(other.port);
    } finally {
      const restarted = await startRpcTestHost(clock, cachedIsAlpha ? 1 : 2, {}, stopped.port);
      if (cachedIsAlpha) alpha = restarted;
      else gamma = restarted;
    }
  });

  it('with host caching off queries DNS on every attempt', async () => {
    for (let i = 0; i < 3; i++) {
      const events: ClientEvent[] = [];
      expect((await client(events, { hostCaching: false }).activateOnce()).activated).toBe(true);
      expect(dnsQueries(events)).toBe(1);
    }
    expect((await readClientState(join(dir, 'state.json')))!.cachedHost).toBeNull();
  });

  it('tries several domains in order, skipping one without records', async () => {
    const events: ClientEvent[] = [];
    const out = await client(events, { domains: ['branch.office.test', 'office.test'] }).activateOnce();
    expect(out.activated).toBe(true);
    expect(events.filter((e) => e.type === 'dns-records').map((e) => (e as { name: string }).name)).toEqual([
      '_quorum._tcp.branch.office.test',
      '_quorum._tcp.office.test',
    ]);
    const none = await client([], { domains: ['a.office.test', 'b.office.test'], hostCaching: false }).activateOnce();
    expect(none.error?.code).toBe('CLIENT_DNS_NO_RECORDS');
    expect(none.error?.message).toContain('_quorum._tcp.a.office.test SRV, _quorum._tcp.b.office.test SRV');
  });

  it('names the query and the server when DNS has no records', async () => {
    const out = await client([], { serviceName: '_nothing._tcp' }).activateOnce();
    expect(out.error?.code).toBe('CLIENT_DNS_NO_RECORDS');
    expect(out.error?.message).toContain('_nothing._tcp.office.test SRV');
    expect(out.error?.message).toContain(bind.server);
  });

  it('lists every host with its error when none answers', async () => {
    const zone = await startBind9({
      zone: 'branch.test',
      records: [`_quorum._tcp IN SRV 0 0 ${dead} a`, `_quorum._tcp IN SRV 1 0 ${dead} b`, 'a IN A 127.0.0.1'],
    });
    try {
      const out = await client([], { domains: ['branch.test'], dnsServer: zone.server }).activateOnce();
      expect(out.error?.code).toBe('CLIENT_NO_HOST_ANSWERED');
      expect(out.error?.message).toContain(`a.branch.test:${dead}`);
      expect(out.error?.message).toContain('RPC_CONNECT_REFUSED');
      expect(out.error?.message).toContain(`b.branch.test:${dead}: its name has no A or AAAA record`);
    } finally {
      await zone.stop();
    }
  });

  it('says which server failed when DNS itself does not answer', async () => {
    const out = await client([], { dnsServer: `127.0.0.1:${dead}`, timeoutMs: 500 }).activateOnce();
    expect(out.error?.code).toBe('CLIENT_DNS_FAILED');
    expect(out.error?.message).toContain(`_quorum._tcp.office.test SRV at 127.0.0.1:${dead}`);
    expect(out.error?.hint).toContain('dig');
  });

  it('names every domain that gave nothing when one query is refused and another has no records', async () => {
    const out = await client([], { domains: ['elsewhere.test', 'a.office.test'], hostCaching: false }).activateOnce();
    expect(out.error?.code).toBe('CLIENT_DNS_FAILED');
    expect(out.error?.message).toContain(`_quorum._tcp.elsewhere.test SRV at ${bind.server}: the server refused`);
    expect(out.error?.message).toContain('_quorum._tcp.a.office.test SRV returned no records.');
  });
});
