/**
 * RFC 2782 target selection: the lowest priority group first; inside a group, a weighted random
 * order in which weight-0 targets have a small chance (RFC: "a very small chance") of going first.
 * Pure: the random source is passed in, so tests draw from a seeded generator.
 */
import type { RandomSource } from '../../shared/domain/random.js';

export { seededRandom, type RandomSource } from '../../shared/domain/random.js';

export interface SrvTarget {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/**
 * Orders every target as RFC 2782 says a client should try them. Each call draws a fresh
 * order, so a host that does not answer is simply skipped and the next one in this order tried.
 */
export function orderSrvTargets<T extends SrvTarget>(targets: readonly T[], random: RandomSource): T[] {
  const groups = new Map<number, T[]>();
  for (const t of targets) {
    const group = groups.get(t.priority);
    if (group) group.push(t);
    else groups.set(t.priority, [t]);
  }
  const ordered: T[] = [];
  for (const priority of [...groups.keys()].sort((a, b) => a - b)) {
    ordered.push(...weightedOrder(groups.get(priority)!, random));
  }
  return ordered;
}

function weightedOrder<T extends SrvTarget>(group: readonly T[], random: RandomSource): T[] {
  // RFC 2782: "arrange all SRV RRs (that have not been ordered yet) in any order, except that all
  // those with weight 0 are placed at the beginning of the list". Shuffling the zeros spreads load
  // when every target has weight 0, which the RFC's "any order" allows.
  const remaining = [
    ...shuffle(
      group.filter((t) => t.weight === 0),
      random,
    ),
    ...group.filter((t) => t.weight !== 0),
  ];
  const out: T[] = [];
  while (remaining.length > 0) {
    const sum = remaining.reduce((s, t) => s + t.weight, 0);
    // "choose a uniform random number between 0 and the sum computed (inclusive)"
    const pick = Math.min(sum, Math.floor(random() * (sum + 1)));
    let running = 0;
    let index = remaining.length - 1;
    for (let i = 0; i < remaining.length; i++) {
      running += remaining[i]!.weight;
      if (running >= pick) {
        index = i;
        break;
      }
    }
    out.push(remaining.splice(index, 1)[0]!);
  }
  return out;
}

function shuffle<T>(items: T[], random: RandomSource): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
