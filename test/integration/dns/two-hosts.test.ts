/**
 * Two hosts publish themselves in the same zone with their own priority and weight; the client,
 * discovering through the real BIND9, picks them in RFC 2782 proportions, and moves to the
 * other priority group as the records say.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../src-main/client/client.js';
import { createSrvLookup } from '../../../src-main/dns/srv-lookup.js';
import { orderSrvTargets, seededRandom } from '../../../src-main/dns/srv-select.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { activatedDir, portOf, publishArgs, quorumCli, startDnsHost, succeeded } from './support/dns-fixtures.js';

/**
 * What one step may take at worst, to keep each test's limit at least twice its steps' own
 * timeouts (a slow step then fails with its own message, not the test's): a publish waits 2 s per
 * try (two over UDP, one over TCP) and as much again when it must confirm an update that arrived
 * twice, 12 s; dig 3 s x 2 tries, under execFile's 10 s; a client's SRV lookup 3 s x 2 tries and an
 * exchange 5 s per host, 16 s for one activation that finds neither host quickly.
 */
const PUBLISH_WORST_MS = 12_000;
const DIG_WORST_MS = 10_000;
const ACTIVATION_WORST_MS = 16_000;

let bind: Bind9;
let a: HostRuntime;
let b: HostRuntime;

beforeAll(async () => {
  bind = await startBind9();
  [a, b] = await Promise.all([startDnsHost(), startDnsHost()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await bind?.stop();
});

const publish = async (host: HostRuntime, target: string, priority: number, weight: number) =>
  succeeded(
    await quorumCli(
      publishArgs(bind, host.dataDir, target, [
        '--address',
        '127.0.0.1',
        '--priority',
        `${priority}`,
        '--weight',
        `${weight}`,
      ]),
    ),
  );

/** Which host answers each of `n` first attempts of a client that does not cache its host. */
async function firstPicks(n: number): Promise<Map<string, number>> {
  const client = createClient({
    stateFile: join(activatedDir(), 'client.json'),
    product: 'desktop',
    domains: ['office.test'],
    dnsServer: bind.server,
    hostCaching: false,
    machineName: 'pc-weights',
    isVm: false,
    random: seededRandom(17),
  });
  const picks = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const outcome = await client.activateOnce();
    picks.set(outcome.host!, (picks.get(outcome.host!) ?? 0) + 1);
  }
  return picks;
}

describe('two hosts in one zone', () => {
  const alpha = () => `alpha.office.test:${portOf(a)}`;
  const beta = () => `beta.office.test:${portOf(b)}`;

  it(
    'are both published next to each other',
    async () => {
      await publish(a, 'alpha.office.test', 0, 75);
      await publish(b, 'beta.office.test', 0, 25);
      expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([
        `0 25 ${portOf(b)} beta.office.test.`,
        `0 75 ${portOf(a)} alpha.office.test.`,
      ]);
    },
    2 * (2 * PUBLISH_WORST_MS + DIG_WORST_MS),
  );

  it(
    'are chosen by weight, 75:25',
    async () => {
      // The client's own lookup and selection over the records BIND serves.
      const records = await createSrvLookup({ dnsServer: bind.server }).srv('_quorum._tcp.office.test');
      const random = seededRandom(5);
      let alphaFirst = 0;
      for (let i = 0; i < 4000; i++)
        if (orderSrvTargets(records, random)[0]!.name === 'alpha.office.test') alphaFirst++;
      expect(alphaFirst / 4000).toBeGreaterThan(0.72);
      expect(alphaFirst / 4000).toBeLessThan(0.78);
      // And real activations through discovery reach both hosts.
      const picks = await firstPicks(30);
      expect(picks.get(alpha())).toBeGreaterThan(picks.get(beta()) ?? 0);
      expect(picks.get(beta())).toBeGreaterThan(0);
      expect(picks.get(alpha())! + picks.get(beta())!).toBe(30);
    },
    4 * ACTIVATION_WORST_MS,
  );

  it(
    'then by priority: beta at priority 1 is not asked while alpha answers',
    async () => {
      await publish(b, 'beta.office.test', 1, 25);
      expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([
        `0 75 ${portOf(a)} alpha.office.test.`,
        `1 25 ${portOf(b)} beta.office.test.`,
      ]);
      expect([...(await firstPicks(10)).entries()]).toEqual([[alpha(), 10]]);
    },
    2 * (PUBLISH_WORST_MS + DIG_WORST_MS + ACTIVATION_WORST_MS),
  );
});
