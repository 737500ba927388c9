/**
 * `quorum simulate seed-25-to-23 --json` (run in-process through the CLI's own entry) shows the
 * worked example's moments: the count reaches 25, falls to 23 within 30 days of the two departures,
 * within 7 days every remaining client retries every 2 hours, and two new clients bring it back.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/main.js';
import type { Moment, SimResult } from '../../../src-main/sim/sim-result.js';

async function simulateJson(args: string[]): Promise<SimResult> {
  let out = '';
  const code = await main(['simulate', ...args, '--json'], { out: (t) => (out += t), err: (t) => (out += t) });
  expect(code).toBe(0);
  return (JSON.parse(out) as { ok: true; result: SimResult }).result;
}

const only = (moments: Moment[], kind: Moment['kind']) => moments.filter((m) => m.kind === kind);
const HOUR = 1 / 24;

describe('quorum simulate seed-25-to-23 --json', () => {
  it('shows the count reaching 25, falling to 23, everyone retrying every 2 hours, and recovering', async () => {
    const r = await simulateJson(['seed-25-to-23']);
    const [reached, back, ...moreReached] = only(r.moments, 'threshold-reached');
    expect(moreReached).toEqual([]);
    expect(reached).toMatchObject({ host: 'quorum1', count: 25, threshold: 25 });
    expect(reached!.day).toBeLessThan(1);

    const departure = r.moments.find((m) => m.kind === 'event' && m.text.includes('left for good'))!;
    expect(departure.text).toMatch(/^2 clients/);
    const [dropped, ...moreDropped] = only(r.moments, 'threshold-dropped');
    expect(moreDropped).toEqual([]);
    expect(dropped).toMatchObject({ count: 23, threshold: 25 });
    expect(dropped!.day).toBeGreaterThan(departure.day);
    expect(dropped!.day - departure.day).toBeLessThanOrEqual(30);

    const [retrying, ...moreRetrying] = only(r.moments, 'all-retrying');
    expect(moreRetrying).toEqual([]);
    expect(retrying).toMatchObject({ count: 23, intervalMin: 120 });
    expect(retrying!.day).toBeGreaterThan(dropped!.day);
    expect(retrying!.day - dropped!.day).toBeLessThanOrEqual(7);
    // Every remaining client still licensed (up to 180 days), all of them asking 12 times a day.
    const fullDay = Math.ceil(retrying!.day);
    expect(r.clients.activated[fullDay]).toBe(23);
    expect(r.clients.retrying[fullDay]).toBe(23);
    expect(r.hosts[0]!.requests[fullDay]).toBe(23 * 12);
    expect(r.hosts[0]!.failed[fullDay]).toBe(23 * 12);

    const joined = r.moments.find((m) => m.kind === 'event' && m.text.includes('joined'))!;
    expect(joined.text).toBe('2 new clients joined office');
    expect(back).toMatchObject({ count: 25 });
    expect(back!.day).toBe(joined.day);
    const [cleared] = only(r.moments, 'retrying-cleared');
    expect(cleared!.day).toBeGreaterThan(back!.day);
    expect(cleared!.day - back!.day).toBeLessThanOrEqual(2 * HOUR + 1e-3);

    const last = r.scenario.days - 1;
    expect(r.groups[0]!.count[last]).toBe(25);
    expect(r.clients.present[last]).toBe(25);
    expect(r.clients.activated[last]).toBe(25);
    expect(r.clients.retrying[last]).toBe(0);
  });

  it('gives the same run for the same seed', async () => {
    const a = await simulateJson(['seed-25-to-23', '--days', '40', '--seed', '7']);
    const b = await simulateJson(['seed-25-to-23', '--days', '40', '--seed', '7']);
    expect({ ...a, run: null }).toEqual({ ...b, run: null });
    expect(a.scenario).toMatchObject({ days: 40, seed: 7 });
  });
});
