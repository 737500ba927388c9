/**
 * The host-failover rehearsal: quorum1 (priority 0) is down from day 6 to day 9. Clients due
 * during the outage reach quorum2 (priority 10) in the same attempt, well within the retry
 * interval; after it, requests go back to quorum1 by priority. Each host's count in the series is
 * the number of distinct clients it heard from in the last 30 days, as its engine reports it.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../../shared/domain/timings.js';
import { builtinScenario } from '../../../src-main/sim/builtin-scenarios.js';
import { runSimulation } from '../../../src-main/sim/simulator.js';

interface Seen {
  host: string;
  at: number;
  cmid: string;
  granted: boolean;
}

describe('the host-failover rehearsal', () => {
  it('moves clients to the second host during the outage and back by priority after it', async () => {
    const log: Seen[] = [];
    const r = await runSimulation(builtinScenario('host-failover'), {
      onRequest: (host, rec) => log.push({ host, at: rec.at, cmid: rec.input.cmid, granted: rec.decision.granted }),
    });
    const start = r.scenario.start;
    const down = start + 6 * DAY_MS;
    const up = start + 9 * DAY_MS;
    const [q1, q2] = r.hosts;
    expect(q1!.name).toBe('quorum1');

    // Before the outage only quorum1 answers; during it only quorum2; after it quorum1 again.
    expect(log.filter((s) => s.at < down).every((s) => s.host === 'quorum1')).toBe(true);
    const during = log.filter((s) => s.at >= down && s.at < up);
    expect(during.length).toBeGreaterThan(100);
    expect(during.every((s) => s.host === 'quorum2')).toBe(true);
    const after = log.filter((s) => s.at >= up);
    expect(after.length).toBeGreaterThan(100);
    expect(after.every((s) => s.host === 'quorum1')).toBe(true);

    // Every attempt that found quorum1 down was answered by quorum2 at the same moment.
    const unreachable = q1!.unreachable.reduce((a, b) => a + b, 0);
    expect(unreachable).toBe(during.length);
    // quorum2 starts counting from zero: its first 24 clients are told to retry, and each retry
    // comes one activation interval later, until its count meets the threshold.
    const refusedAt = new Map<string, number>();
    for (const s of during) {
      const before = refusedAt.get(s.cmid);
      if (before !== undefined) expect(s.at - before).toBe(2 * HOUR_MS);
      if (s.granted) refusedAt.delete(s.cmid);
      else refusedAt.set(s.cmid, s.at);
    }
    expect(refusedAt.size).toBe(0);
    expect(during.filter((s) => !s.granted)).toHaveLength(24);
    expect(r.moments.find((m) => m.kind === 'threshold-reached' && m.host === 'quorum2')).toMatchObject({ count: 25 });
    expect(r.clients.activated.every((n, d) => n === r.clients.present[d])).toBe(true);

    // Each host's daily count is the distinct CMIDs it heard from in the 30 days before, up to its
    // cache of twice the threshold: what its engine reports.
    for (const series of r.groups) {
      for (const day of [5, 8, 12, 29]) {
        const end = start + (day + 1) * DAY_MS - 1;
        const heard = new Set(
          log.filter((s) => s.host === series.host && s.at <= end && s.at > end - 30 * DAY_MS).map((s) => s.cmid),
        );
        expect(series.count[day]).toBe(Math.min(heard.size, 2 * series.threshold));
      }
    }
    expect(q2!.totalRequests).toBe(during.length);
  });
});
