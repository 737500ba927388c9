// The VirtualClock the simulator steps through: timers run in (moment, creation) order, a cancelled
// one never runs, and runNext runs exactly one due timer so a caller can let its work settle.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { seededRandom } from '../../../shared/domain/random.js';

describe('VirtualClock', () => {
  it('runs thousands of timers in moment order, ties in the order they were set', () => {
    const clock = new VirtualClock(0);
    const random = seededRandom(5);
    const ran: [number, number][] = [];
    const handles = [];
    for (let i = 0; i < 5000; i++) {
      const when = Math.floor(random() * 1000);
      handles.push(clock.at(when, () => ran.push([clock.now(), i])));
    }
    for (let i = 0; i < 5000; i += 7) handles[i]!.cancel();
    expect(clock.pending).toBe(5000 - Math.ceil(5000 / 7));
    clock.advanceTo(2000);
    expect(ran).toHaveLength(5000 - Math.ceil(5000 / 7));
    expect(ran.some(([, i]) => i % 7 === 0)).toBe(false);
    const sorted = [...ran].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(ran).toEqual(sorted);
    expect(clock.now()).toBe(2000);
    expect(clock.pending).toBe(0);
  });

  it('steps one timer at a time with runNext, and timers set while running keep their order', () => {
    const clock = new VirtualClock(100);
    const log: string[] = [];
    clock.at(150, () => {
      log.push('a');
      clock.at(150, () => log.push('a2'));
    });
    clock.at(150, () => log.push('b'));
    const late = clock.at(300, () => log.push('late'));
    expect(clock.nextDueAt).toBe(150);
    expect(clock.runNext(149)).toBe(false);
    expect(clock.now()).toBe(100);
    expect(clock.runNext(200)).toBe(true);
    expect(log).toEqual(['a']);
    expect(clock.now()).toBe(150);
    while (clock.runNext(200));
    expect(log).toEqual(['a', 'b', 'a2']);
    late.cancel();
    expect(clock.nextDueAt).toBeNull();
    // A timer set in the past runs at the current moment, not before it.
    clock.at(10, () => log.push(`past@${clock.now()}`));
    clock.advance(0);
    expect(log.at(-1)).toBe('past@150');
  });
});
