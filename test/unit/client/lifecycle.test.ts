/**
 * The whole client lifecycle on a VirtualClock: the real agent loop, state file, codec and
 * signatures, with an in-process host whose answers the test controls.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, LicenseState, MINUTE_MS, VirtualClock } from '../../../shared/domain/index.js';
import { createClient, type QuorumClient } from '../../../src-main/client/client.js';
import type { ClientEvent } from '../../../src-main/client/events.js';
import { memoryStateStore, readClientState } from '../../../src-main/client/state-file.js';
import { createTestHost, InProcessNetwork, type TestHost } from './support/test-host.js';
import { runUntil } from './support/run-until.js';

const T0 = Date.UTC(2026, 0, 1);
const HOST = { host: '127.0.0.1', port: 1688 };

let dir: string;
let clock: VirtualClock;
let network: InProcessNetwork;
let host: TestHost;
let clients: QuorumClient[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-lifecycle-'));
  clock = new VirtualClock(T0);
  network = new InProcessNetwork();
  host = createTestHost(clock, 1);
  network.add(HOST, host);
  clients = [];
});
afterEach(async () => {
  for (const c of clients) await c.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `inMemory` spares the fsync of the state file on runs of hundreds of attempts; the other tests use the file. */
function agent(product = 'desktop', inMemory = false): QuorumClient {
  const c = createClient({
    stateFile: join(dir, 'state.json'),
    ...(inMemory ? { stateStore: memoryStateStore() } : {}),
    product,
    hosts: ['127.0.0.1:1688'],
    machineName: 'pc-01',
    isVm: false,
    scheduler: clock,
    transport: network,
  });
  clients.push(c);
  return c;
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);
const requestTimes = (): number[] => host.requests.map((r) => r.clientTime);

describe('client lifecycle on a virtual clock', () => {
  it('in initial grace retries every 2 hours, then falls to notification after 30 days', async () => {
    host.behaviour = { granted: false, count: 3, threshold: 25 };
    const c = agent('desktop', true);
    await c.run();
    await runUntil(clock, c, T0 + 24 * HOUR_MS);
    expect(host.requests).toHaveLength(13);
    expect(new Set(gaps(requestTimes()))).toEqual(new Set([2 * HOUR_MS]));
    expect(host.requests.every((r) => r.licenseState === LicenseState.InitialGrace)).toBe(true);
    const status = await c.status();
    expect(status.licenses[0]).toMatchObject({ state: LicenseState.InitialGrace, stateName: 'initial grace' });
    expect(status.licenses[0]!.lastAttempt).toMatchObject({
      activated: false,
      code: 'CLIENT_COUNT_INSUFFICIENT',
      count: 3,
    });

    await runUntil(clock, c, T0 + 30 * DAY_MS + HOUR_MS);
    expect((await c.status()).licenses[0]!.state).toBe(LicenseState.Notification);
    expect(host.requests.at(-1)!.licenseState).toBe(LicenseState.Notification);
    expect(new Set(gaps(requestTimes()))).toEqual(new Set([2 * HOUR_MS]));
  });

  it('once activated renews every 7 days, each renewal restarting the 180-day validity', async () => {
    const c = agent();
    await c.run();
    await runUntil(clock, c, T0 + 28 * DAY_MS);
    expect(requestTimes()).toEqual([0, 7, 14, 21, 28].map((d) => T0 + d * DAY_MS));
    expect(host.requests.slice(1).every((r) => r.licenseState === LicenseState.Licensed)).toBe(true);
    const lic = (await c.status()).licenses[0]!;
    expect(lic.state).toBe(LicenseState.Licensed);
    expect(lic.validUntil).toBe(T0 + (28 + 180) * DAY_MS);
  });

  it('expires 180 days after the last contact: out-of-tolerance grace, then notification after 30 more days', async () => {
    // A 12-hour activation interval keeps this run to ~420 attempts (each one fsyncs the real state file).
    host.behaviour = { activationIntervalMin: 720 };
    const c = agent();
    await c.run();
    await runUntil(clock, c, T0 + HOUR_MS);
    expect(host.requests).toHaveLength(1);
    network.down.add('127.0.0.1:1688');

    await runUntil(clock, c, T0 + 180 * DAY_MS - MINUTE_MS);
    const before = (await c.status()).licenses[0]!;
    expect(before.state).toBe(LicenseState.Licensed);
    // The failed renewal at day 7 switched the agent to the (host's) activation interval.
    expect(before.nextAttemptAt - before.lastAttempt!.at).toBe(12 * HOUR_MS);
    expect(before.lastAttempt!.code).toBe('CLIENT_NO_HOST_ANSWERED');

    await runUntil(clock, c, T0 + 180 * DAY_MS);
    expect((await c.status()).licenses[0]!.state).toBe(LicenseState.OutOfToleranceGrace);
    await runUntil(clock, c, T0 + 210 * DAY_MS);
    expect((await c.status()).licenses[0]!.state).toBe(LicenseState.Notification);

    // Contact again: licensed at once, for another 180 days.
    network.down.clear();
    await runUntil(clock, c, T0 + 210 * DAY_MS + 12 * HOUR_MS);
    const after = (await c.status()).licenses[0]!;
    expect(after.state).toBe(LicenseState.Licensed);
    expect(host.requests.at(-1)!.licenseState).toBe(LicenseState.Notification);
  });

  it("uses the host's intervals instead of the defaults from its first reply on", async () => {
    host.behaviour = { granted: false, count: 4, threshold: 5, activationIntervalMin: 30, renewalIntervalMin: 1440 };
    const c = agent('server');
    await c.run();
    await runUntil(clock, c, T0 + 90 * MINUTE_MS);
    expect(gaps(requestTimes())).toEqual([30, 30, 30].map((m) => m * MINUTE_MS));
    host.behaviour = { ...host.behaviour, granted: true, count: 5 };
    await runUntil(clock, c, T0 + 120 * MINUTE_MS + 3 * DAY_MS);
    expect(gaps(requestTimes().slice(-4))).toEqual([DAY_MS, DAY_MS, DAY_MS]);
    const lic = (await c.status()).licenses[0]!;
    expect(lic).toMatchObject({ activationIntervalMin: 30, renewalIntervalMin: 1440, intervalsFromHost: true });
  });

  it('keeps running when its state file is damaged, says why, and leaves the file for a person', async () => {
    const events: ClientEvent[] = [];
    const c = createClient({
      stateFile: join(dir, 'state.json'),
      product: 'desktop',
      hosts: ['127.0.0.1:1688'],
      machineName: 'pc-01',
      isVm: false,
      scheduler: clock,
      transport: network,
      onEvent: (e) => events.push(e),
    });
    clients.push(c);
    expect(await c.status()).toMatchObject({ cmid: null, licenses: [] });
    await c.run();
    await runUntil(clock, c, T0 + HOUR_MS);
    await writeFile(join(dir, 'state.json'), '{"version": 1, "cmid": ');
    await runUntil(clock, c, T0 + 7 * DAY_MS);
    expect(events.at(-1)).toMatchObject({
      type: 'attempt-end',
      activated: false,
      code: 'CLIENT_STATE_DAMAGED',
      nextAttemptAt: T0 + 7 * DAY_MS + 2 * HOUR_MS,
    });
    expect((events.at(-1) as { message: string }).message).toContain('left untouched');
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe('{"version": 1, "cmid": ');
    expect(host.requests).toHaveLength(1);
  });

  it('keeps its CMID and schedule across an agent restart', async () => {
    const first = agent();
    await first.run();
    await runUntil(clock, first, T0 + DAY_MS);
    await first.stop();
    const cmid = (await readClientState(join(dir, 'state.json')))!.cmid;
    const second = agent();
    await second.run();
    expect(second.nextAttemptAt).toBe(T0 + 7 * DAY_MS);
    await runUntil(clock, second, T0 + 7 * DAY_MS);
    expect(host.requests.map((r) => r.cmid)).toEqual([cmid, cmid]);
  });
});
