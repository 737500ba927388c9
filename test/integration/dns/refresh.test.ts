/**
 * The host's sync decides what to do from the stored state: nothing while the records are fresh,
 * a refresh once they are a day old, no retry storm after a failure, a retry once it is due.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REFRESH_MS,
  RETRY_MS,
  syncZones,
  type DnsContext,
  type HostFacts,
} from '../../../src-main/dns/dns-publisher.js';
import { readZoneState, readZones, upsertZone, writeZoneState } from '../../../src-main/dns/publish-list.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { publishArgs, quorumCli, startDnsHost, succeeded } from './support/dns-fixtures.js';

let bind: Bind9;
let host: HostRuntime;

beforeAll(async () => {
  bind = await startBind9();
  host = await startDnsHost();
});
afterAll(async () => {
  await host?.close();
  await bind?.stop();
});

describe('the periodic sync', () => {
  it('refreshes after 24 hours, and retries a failure only once it is due', async () => {
    succeeded(await quorumCli(publishArgs(bind, host.dataDir, 'fresh.office.test')));
    const ctx: DnsContext = host.dns.context();
    const facts: HostFacts = host.dns.facts();
    expect(await syncZones(ctx, facts)).toEqual([]);

    const state = readZoneState(host.store, 'office.test');
    writeZoneState(host.store, 'office.test', { ...state, publishedAt: Date.now() - REFRESH_MS - 1000 });
    const refreshed = await syncZones(ctx, facts);
    expect(refreshed.map((r) => [r.action, r.ok])).toEqual([['publish', true]]);

    // The server moves away: the failure is recorded, and not retried at every tick.
    const entry = readZones(host.store)[0]!;
    upsertZone(host.store, { ...entry, server: '127.0.0.1:9' });
    const failing = await syncZones({ ...ctx, timeoutMs: 100 }, { ...facts, port: facts.port + 1 });
    expect(failing.map((r) => [r.ok, r.code])).toEqual([[false, 'DNS_UPDATE_TIMEOUT']]);
    expect(await syncZones({ ...ctx, timeoutMs: 100 }, { ...facts, port: facts.port + 1 })).toEqual([]);
    upsertZone(host.store, entry);
    const due = readZoneState(host.store, 'office.test');
    writeZoneState(host.store, 'office.test', { ...due, last: { ...due.last!, at: Date.now() - RETRY_MS - 1000 } });
    const retried = await syncZones(ctx, { ...facts, port: facts.port + 1 });
    expect(retried.map((r) => [r.action, r.ok])).toEqual([['publish', true]]);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([`0 100 ${facts.port + 1} fresh.office.test.`]);
  });
});
