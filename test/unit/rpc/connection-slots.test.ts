import { describe, expect, it } from 'vitest';
import { ConnectionSlots, type SlotHolder } from '../../../src-main/rpc/connection-slots.js';

type State = 'idle' | 'mid' | 'busy';

function holder(address: string, lastProgress: number, state: State): SlotHolder {
  return { address, lastProgress, conn: { idle: state === 'idle', midMessage: state === 'mid' } };
}

function slots(
  entries: [string, number, State][],
  limits = { maxConnections: 4, maxConnectionsPerAddress: 3, stalledAfterMs: 100 },
) {
  const s = new ConnectionSlots<SlotHolder>(limits);
  const holders = entries.map(([a, t, st]) => holder(a, t, st));
  for (const h of holders) s.add(h);
  return { s, holders };
}

describe('connection slots', () => {
  it('has room below both caps', () => {
    const { s } = slots([['a', 0, 'mid']]);
    expect(s.roomFor('a', 10)).toEqual({ kind: 'free' });
  });

  it("at an address's cap, only that address's own evictable connection makes room", () => {
    const { s, holders } = slots([
      ['a', 0, 'busy'],
      ['a', 5, 'mid'],
      ['a', 50, 'idle'],
    ]);
    // The stalled one (mid-message for 100 ms and more) is older than the idle one.
    expect(s.roomFor('a', 105)).toEqual({ kind: 'evict', victim: holders[1], cap: 'address' });
    // Before it counts as stalled, the idle one goes.
    expect(s.roomFor('a', 60)).toEqual({ kind: 'evict', victim: holders[2], cap: 'address' });
    const busy = slots([
      ['a', 0, 'busy'],
      ['a', 5, 'mid'],
      ['a', 6, 'busy'],
    ]);
    expect(busy.s.roomFor('a', 50)).toEqual({ kind: 'full' });
  });

  it('at the global cap, the heaviest address gives up its oldest connection to a lighter one', () => {
    const { s, holders } = slots(
      [
        ['a', 0, 'busy'],
        ['a', 1, 'mid'],
        ['a', 2, 'mid'],
        ['b', 3, 'mid'],
      ],
      { maxConnections: 4, maxConnectionsPerAddress: 10, stalledAfterMs: 100 },
    );
    // Nothing stalled yet: "b" (one connection) gets room from "a" (three); "a" itself does not.
    expect(s.roomFor('c', 50)).toEqual({ kind: 'evict', victim: holders[1], cap: 'global' });
    expect(s.roomFor('b', 50)).toEqual({ kind: 'evict', victim: holders[1], cap: 'global' });
    expect(s.roomFor('a', 50)).toEqual({ kind: 'full' });
    // Once stalled, the oldest stalled connection of any address makes room for anyone.
    expect(s.roomFor('a', 200)).toEqual({ kind: 'evict', victim: holders[1], cap: 'global' });
  });

  it('counts per address as connections come and go', () => {
    const { s, holders } = slots([
      ['a', 0, 'idle'],
      ['a', 1, 'idle'],
    ]);
    expect(s.countOf('a')).toBe(2);
    expect(s.delete(holders[0]!)).toBe(true);
    expect(s.delete(holders[0]!)).toBe(false);
    expect(s.countOf('a')).toBe(1);
    s.delete(holders[1]!);
    expect(s.countOf('a')).toBe(0);
    expect(s.size).toBe(0);
  });
});
