/**
 * The worked example of docs/model.md, run for real on one VirtualClock: the host's engine, its SQLite
 * store and the client agents all read the same clock. 25 desktop clients reach the threshold;
 * two leave; 30 days later their CMIDs expire, the count is 23 and the remaining clients, still
 * licensed, retry every 2 hours; two new clients join and everything normalises.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, LicenseState, VirtualClock } from '../../../shared/domain/index.js';
import { ProductCatalog } from '../../../shared/domain/products.js';
import { createClient, type QuorumClient } from '../../../src-main/client/client.js';
import { memoryStateStore } from '../../../src-main/client/state-file.js';
import type { ActivationTransport } from '../../../src-main/client/transport.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { createActivationHandler } from '../../../src-main/host/activation-handler.js';
import { hostIdentityFromSeed } from '../../../src-main/host/identity.js';
import { openStore } from '../../../src-main/store/open-store.js';

const T0 = Date.UTC(2026, 0, 5);
const clock = new VirtualClock(T0);
let dir: string;
let store: ReturnType<typeof openStore>;
let transport: ActivationTransport;
const fleet: QuorumClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-fleet-'));
  store = openStore({ file: join(dir, 'quorum.db'), clock });
  const engine = new Engine({ clock, catalog: new ProductCatalog() });
  const handler = createActivationHandler({
    engine,
    store,
    identity: hostIdentityFromSeed(new Uint8Array(32).fill(42)),
    clock,
  });
  transport = { exchange: (_target, stub) => handler(stub, { remoteAddress: '127.0.0.1' }) };
});
afterAll(async () => {
  for (const c of fleet) await c.stop();
  store?.close();
  await rm(dir, { recursive: true, force: true });
});

async function join1(n: number): Promise<QuorumClient> {
  const c = createClient({
    stateFile: `pc${n}`,
    stateStore: memoryStateStore(`pc${n}`),
    product: 'desktop',
    hosts: ['quorum1.office.test'],
    machineName: `pc${n}`,
    isVm: false,
    scheduler: clock,
    transport,
  });
  fleet.push(c);
  await c.run();
  return c;
}

/** Advances the shared clock attempt by attempt (bounded), waiting for every agent each time. */
async function runFleet(target: number): Promise<void> {
  for (let step = 0; step < 20_000; step++) {
    const next = Math.min(...fleet.map((c) => c.nextAttemptAt ?? Infinity));
    if (next > target) break;
    clock.advanceTo(next);
    await Promise.all(fleet.map((c) => c.whenIdle()));
  }
  clock.advanceTo(target);
}

const lastAttempts = async (clients: QuorumClient[]) =>
  Promise.all(clients.map(async (c) => (await c.status()).licenses[0]!));

describe('a desktop fleet and one host on one virtual clock', () => {
  it('follows the worked example from the threshold, through the drop to 23, back to 25', async () => {
    for (let i = 1; i <= 24; i++) await join1(i);
    await runFleet(T0 + HOUR_MS);
    expect((await lastAttempts(fleet)).every((l) => l.state === LicenseState.InitialGrace)).toBe(true);
    expect((await fleet[23]!.status()).licenses[0]!.lastAttempt).toMatchObject({ count: 24, threshold: 25 });

    await join1(25);
    await runFleet(T0 + HOUR_MS);
    expect((await fleet[24]!.status()).licenses[0]!.lastAttempt).toMatchObject({ activated: true, count: 25 });
    await runFleet(T0 + 3 * HOUR_MS);
    expect((await lastAttempts(fleet)).every((l) => l.state === LicenseState.Licensed)).toBe(true);

    // Two machines leave on day 1 and never come back.
    await runFleet(T0 + DAY_MS);
    const gone = fleet.splice(0, 2);
    for (const c of gone) await c.stop();

    // Their CMIDs expire 30 days after their last contact; the day-35 renewals find a count of 23.
    await runFleet(T0 + 38 * DAY_MS);
    const stuck = await lastAttempts(fleet);
    expect(stuck).toHaveLength(23);
    for (const l of stuck) {
      expect(l.state).toBe(LicenseState.Licensed);
      expect(l.lastAttempt).toMatchObject({ activated: false, code: 'CLIENT_COUNT_INSUFFICIENT', count: 23 });
      expect(l.nextAttemptAt - l.lastAttempt!.at).toBe(2 * HOUR_MS);
    }

    // Two new machines join: within one activation interval everyone is activated again.
    await join1(26);
    await join1(27);
    await runFleet(T0 + 38 * DAY_MS + 2 * HOUR_MS);
    const healed = await lastAttempts(fleet);
    expect(healed).toHaveLength(25);
    for (const l of healed) expect(l.lastAttempt).toMatchObject({ activated: true, count: 25 });
  });
});
