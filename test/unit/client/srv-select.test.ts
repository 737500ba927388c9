import { describe, expect, it } from 'vitest';
import { orderSrvTargets, seededRandom, type SrvTarget } from '../../../src-main/dns/srv-select.js';

const t = (name: string, priority: number, weight: number): SrvTarget => ({ name, port: 1688, priority, weight });

/** Chi-square statistic of observed counts against expected probabilities. */
function chiSquare(observed: number[], probabilities: number[], n: number): number {
  return observed.reduce((sum, o, i) => sum + (o - n * probabilities[i]!) ** 2 / (n * probabilities[i]!), 0);
}

describe('RFC 2782 ordering', () => {
  it('tries every target of a lower priority group before any of a higher one', () => {
    const targets = [t('c', 20, 5), t('a', 10, 1), t('d', 20, 50), t('b', 10, 99)];
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const order = orderSrvTargets(targets, random).map((x) => x.name);
      expect(order.slice(0, 2).sort()).toEqual(['a', 'b']);
      expect(order.slice(2).sort()).toEqual(['c', 'd']);
    }
  });

  it('picks the first target of a group in proportion to its weight (10,000 seeded draws, chi-square)', () => {
    const group = [t('w60', 0, 60), t('w30', 0, 30), t('w10', 0, 10)];
    const random = seededRandom(2782);
    const n = 10_000;
    const firsts = [0, 0, 0];
    const seconds = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const order = orderSrvTargets(group, random);
      firsts[group.indexOf(order[0]!)]!++;
      if (order[0]!.name === 'w60') seconds.set(order[1]!.name, (seconds.get(order[1]!.name) ?? 0) + 1);
    }
    // RFC 2782 draws from 0..sum inclusive, so the first-listed target gets one extra chance in sum+1.
    const expected = [61 / 101, 30 / 101, 10 / 101];
    // 13.8 is the 0.1% critical value for 2 degrees of freedom; the draws are seeded, so this cannot flake.
    expect(chiSquare(firsts, expected, n)).toBeLessThan(13.8);
    // The plain weights are honoured within 2 percentage points as well.
    expect(Math.abs(firsts[0]! / n - 0.6)).toBeLessThan(0.02);
    expect(Math.abs(firsts[1]! / n - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(firsts[2]! / n - 0.1)).toBeLessThan(0.02);
    // After w60 is taken, w30 and w10 compete 30:10 for the second place.
    const afterW60 = firsts[0]!;
    expect(Math.abs((seconds.get('w30') ?? 0) / afterW60 - 31 / 41)).toBeLessThan(0.03);
  });

  it('gives weight-0 targets a small chance to go first, and a group of only zeros is still ordered', () => {
    const random = seededRandom(11);
    const group = [t('heavy', 0, 99), t('zero', 0, 0)];
    let zeroFirst = 0;
    for (let i = 0; i < 10_000; i++) if (orderSrvTargets(group, random)[0]!.name === 'zero') zeroFirst++;
    // Exactly 1 in 100 by the RFC's rule: the draw of 0 selects the weight-0 target placed first.
    expect(zeroFirst).toBeGreaterThan(50);
    expect(zeroFirst).toBeLessThan(200);

    const zeros = [t('x', 1, 0), t('y', 1, 0), t('z', 1, 0)];
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const order = orderSrvTargets(zeros, random);
      expect(order.map((o) => o.name).sort()).toEqual(['x', 'y', 'z']);
      seen.add(order[0]!.name);
    }
    expect(seen.size).toBe(3);
  });

  it('returns every target exactly once, whatever the input', () => {
    const random = seededRandom(3);
    for (let round = 0; round < 200; round++) {
      const targets = Array.from({ length: 1 + (round % 7) }, (_, i) =>
        t(`h${i}`, Math.floor(random() * 3), Math.floor(random() * 4) * 10),
      );
      const order = orderSrvTargets(targets, random);
      expect(order.map((o) => o.name).sort()).toEqual(targets.map((o) => o.name).sort());
      for (let i = 1; i < order.length; i++) expect(order[i]!.priority).toBeGreaterThanOrEqual(order[i - 1]!.priority);
    }
  });
});
