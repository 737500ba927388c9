/**
 * The simulator's host answers as the real one does: the same requests at the same moments, sent
 * once as bytes to the wire handler over a SQLite store and once to the rehearsal host's in-memory
 * responder, get the same responses (count, threshold, granted, intervals, validity, status).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, LicenseState, VirtualClock } from '../../../shared/domain/index.js';
import { ProductCatalog } from '../../../shared/domain/products.js';
import { decodeSignedResponse, encodeActivationRequest } from '../../../shared/protocol/qap-codec.js';
import type { ActivationRequest } from '../../../shared/protocol/qap-types.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { createActivationHandler } from '../../../src-main/host/activation-handler.js';
import { openStore } from '../../../src-main/store/open-store.js';
import { uuidFrom } from '../../../src-main/sim/sim-fleet.js';
import { directTransport, SimHost } from '../../../src-main/sim/sim-host.js';
import { seededRandom } from '../../../shared/domain/random.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the rehearsal host', () => {
  it('gives the same answers as the real host for the same requests', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 5));
    const catalog = new ProductCatalog();
    const sim = new SimHost({
      name: 'quorum1',
      port: 1688,
      family: 'server',
      clock,
      catalog,
      seed: 3,
      activationIntervalMin: 120,
      renewalIntervalMin: 10_080,
      onRecord: () => undefined,
    });
    const dir = await mkdtemp(join(tmpdir(), 'quorum-sim-eq-'));
    dirs.push(dir);
    const store = openStore({ file: join(dir, 'quorum.db'), clock, catalog });
    const engine = new Engine({
      clock,
      catalog,
      servingGate: { serving: true, coverage: { family: 'server', maxGeneration: 3 } },
    });
    const handler = createActivationHandler({ engine, store, identity: sim.identity, clock });
    const toSim = directTransport(new Map([['quorum1', sim]]), '10.0.0.9', () => undefined);

    const random = seededRandom(11);
    const cmids = Array.from({ length: 44 }, () => uuidFrom(random));
    const products = ['desktop', 'server', 'office', 'desktop-2'].map((n) => catalog.find(n)!);
    const compared: string[] = [];
    const ask = async (i: number) => {
      const product = products[i % products.length]!;
      const request: ActivationRequest = {
        version: 1,
        cmid: cmids[i]!,
        previousCmid: null,
        machineName: `pc${i}`,
        applicationId: product.applicationId,
        productId: product.id,
        productGroupId: product.groupId,
        licenseState: LicenseState.InitialGrace,
        remainingMinutes: 1000,
        isVm: i % 3 === 0,
        clientTime: clock.now(),
        nonce: new Uint8Array(randomBytes(16)),
        siteTokenMac: null,
      };
      const wire = decodeSignedResponse(await handler(encodeActivationRequest(request), { remoteAddress: '10.0.0.9' }));
      const direct = await toSim.ask({ host: 'quorum1', port: 1688 }, request);
      expect(direct.response).toEqual(wire.response);
      compared.push(`${product.name}:${wire.response.count}/${wire.response.threshold}:${wire.response.granted}`);
    };

    for (let i = 0; i < 44; i++) {
      clock.advance(HOUR_MS);
      await ask(i);
    }
    // Half renew, the rest expire: the counts fall on both hosts alike.
    clock.advance(20 * DAY_MS);
    for (let i = 0; i < 15; i++) await ask(i);
    clock.advance(11 * DAY_MS);
    engine.expire();
    sim.engine.expire();
    for (let i = 0; i < 44; i += 4) await ask(i);
    engine.changeIntervals({ activationIntervalMin: 60 });
    sim.engine.changeIntervals({ activationIntervalMin: 60 });
    await ask(1);
    // Granted, refused for the count, and refused because a server key does not cover the office
    // suite: a refusal carries count and threshold 0 (docs/protocol.md, section 5.1).
    expect(compared).toContain('desktop:25/25:true');
    expect(compared).toContain('desktop:11/25:false');
    expect(compared).toContain('office:0/0:false');
    expect(sim.engine.status().applications).toEqual(engine.status().applications);
    store.close();
  });
});
