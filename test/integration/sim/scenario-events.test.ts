/**
 * The scenario's other parts do what the format says: a key uninstalled sends clients to the next
 * host, new intervals reach the clients through the host's replies, laptops away take their CMIDs
 * out of the count until they return, a cloned image is named, and a withdrawn SRV record leaves
 * DNS answers once its TTL has passed.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { builtinScenario } from '../../../src-main/sim/builtin-scenarios.js';
import { parseScenario } from '../../../src-main/sim/scenario-parse.js';
import { SimDns } from '../../../src-main/sim/sim-dns.js';
import { runSimulation } from '../../../src-main/sim/simulator.js';

describe('scenario parts', () => {
  it('moves clients on when a key is uninstalled, and applies new intervals', async () => {
    const scenario = parseScenario(
      `name: events
days: 12
hosts:
  - { name: quorum1, family: desktop, priority: 0 }
  - { name: quorum2, family: desktop, priority: 10 }
fleets:
  - { name: office, product: desktop, size: 40, arrival: { day: 0, hour: 8, overHours: 2 } }
events:
  - day: 3
    setIntervals: { renewalMin: 1440 }
  - day: 8.5
    uninstallKey: { host: quorum1 }
`,
      'events.yaml',
    );
    const r = await runSimulation(scenario);
    const [q1, q2] = r.hosts;
    // Renewals every 7 days until the day-7 renewal brings the new 1-day interval; then daily.
    expect(q1!.requests.slice(1, 7)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(q1!.requests[7]).toBe(40);
    expect(q1!.requests[8]).toBe(40);
    // From day 8.5 quorum1 refuses (its answers are counted, not granted) and quorum2 takes the
    // clients; it counts from zero, so its first 24 retry once, 2 hours later. Cached, they stay there.
    expect(q1!.failed[9]).toBe(40);
    expect(q2!.requests[9]).toBe(40 + 24);
    expect(q2!.failed[9]).toBe(24);
    expect(q1!.requests[10]).toBe(0);
    expect(q2!.requests[10]).toBe(40);
    expect(r.moments.find((m) => m.kind === 'event' && m.host === 'quorum1')?.text).toBe('host key uninstalled');
    expect(r.moments.find((m) => m.text.includes('renewal interval 1440 min on every host'))?.day).toBe(3);
  });

  it('takes laptops on the road out of the count until they return', async () => {
    const r = await runSimulation(builtinScenario('laptops-on-the-road'));
    const count = r.groups[0]!.count;
    expect(r.clients.away[25]).toBe(10);
    expect(r.clients.away[61]).toBe(0);
    expect(count[19]).toBe(32);
    expect(Math.min(...count.slice(45, 60))).toBe(22);
    expect(count[61]).toBe(32);
    expect(r.groups[0]!.firstBelowDay).toBeGreaterThan(20 + 23);
  });

  it('names the machines of a cloned image and never reaches the threshold', async () => {
    const r = await runSimulation(builtinScenario('cloned-image'), { days: 3 });
    expect(Math.max(...r.groups[0]!.count)).toBe(23);
    expect(r.groups[0]!.firstReachedDay).toBeNull();
    const clone = r.moments.find((m) => m.kind === 'clone-suspected')!;
    expect(clone.text).toMatch(/one CMID from \d+ machine names \(lab-0000\d/);
  });

  it('keeps a withdrawn SRV record in answers for its TTL', async () => {
    const clock = new VirtualClock(0);
    const dns = new SimDns({ queryName: '_quorum._tcp.office.test', clock, ttlSeconds: 600 });
    dns.publish({ name: 'quorum1', port: 1688, priority: 0, weight: 100 });
    dns.publish({ name: 'quorum2', port: 1688, priority: 10, weight: 100 });
    dns.withdraw('quorum1');
    clock.advance(599_999);
    expect((await dns.srv('_quorum._tcp.office.test')).map((r) => r.name)).toEqual(['quorum1', 'quorum2']);
    clock.advance(1);
    expect((await dns.srv('_quorum._tcp.office.test')).map((r) => r.name)).toEqual(['quorum2']);
    expect(await dns.srv('_quorum._tcp.elsewhere.test')).toEqual([]);
  });
});
