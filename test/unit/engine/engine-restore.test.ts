import { describe, expect, it } from 'vitest';
import { APPLICATION_OFFICE, APPLICATION_OS, DAY_MS } from '../../../shared/domain/index.js';
import { emptyCounterSnapshot } from '../../../src-main/engine/counters.js';
import type { CmidEntry, EngineSnapshot } from '../../../src-main/engine/types.js';
import { cmid, product, request, setup } from './fixtures.js';

const server = product('server');
const office = product('office');

function entry(n: number, lastSeen: number, productId = server.id, applicationId = APPLICATION_OS.id): CmidEntry {
  return { applicationId, cmid: cmid(n), lastSeen, machineName: `PC-${n}`, address: '10.0.0.1', productId };
}

describe('restore', () => {
  it('resumes exactly where a snapshot left off: counts, capacities, recency order, counters', () => {
    const a = setup();
    for (let n = 1; n <= 12; n++) {
      a.engine.handle(request(n % 3 === 0 ? office : server, n));
      a.clock.advance(DAY_MS);
    }
    const b = setup({ start: a.clock.now() });
    expect(b.engine.restore(JSON.parse(JSON.stringify(a.engine.snapshot())) as EngineSnapshot)).toEqual([]);
    expect(b.engine.status()).toEqual(a.engine.status());
    // Same next eviction: the least recently seen server CMID.
    for (const env of [a, b]) {
      for (let n = 100; n <= 102; n++) env.engine.handle(request(server, n));
    }
    expect(b.engine.snapshot()).toEqual(a.engine.snapshot());
  });

  it('skips malformed entries, reconstructs a missing capacity and evicts what does not fit', () => {
    const { engine, clock } = setup();
    const now = clock.now();
    const cmids = [
      ...Array.from({ length: 12 }, (_, i) => entry(i + 1, now - (12 - i) * 1000)),
      { ...entry(50, now), lastSeen: Number.NaN },
      { cmid: 'x' } as unknown as CmidEntry,
      entry(60, now, office.id, APPLICATION_OFFICE.id),
    ];
    const changes = engine.restore({
      cmids,
      capacities: { [APPLICATION_OS.id]: 10 },
      counters: emptyCounterSnapshot(),
    });
    expect(changes).toEqual([
      { kind: 'capacity', applicationId: APPLICATION_OFFICE.id, capacity: 10 },
      { kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(1) },
      { kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(2) },
    ]);
    expect(engine.count(APPLICATION_OS.id)).toBe(10);
    expect(engine.count(APPLICATION_OFFICE.id)).toBe(1);
  });

  it('keeps CMIDs of a product no longer in the catalogue rather than losing them', () => {
    const { engine, clock } = setup();
    const orphan = entry(
      1,
      clock.now(),
      'dddddddd-0000-4000-8000-000000000000',
      'eeeeeeee-0000-4000-8000-000000000000',
    );
    engine.restore({ cmids: [orphan], capacities: {}, counters: emptyCounterSnapshot() });
    expect(engine.count('eeeeeeee-0000-4000-8000-000000000000')).toBe(1);
  });

  it('repairs damaged counters instead of failing', () => {
    const { engine } = setup();
    engine.restore({
      cmids: [],
      capacities: {},
      counters: {
        all: { total: 5, failed: 9, byLicenseState: { 1: 3, 9: 4, 2: -1 } },
        byApplication: {},
        byProduct: { [server.id]: { total: 1.5, failed: 0, byLicenseState: {} } },
      },
    });
    expect(engine.snapshotCounters()).toEqual({
      all: { total: 5, failed: 5, byLicenseState: { 1: 3, 2: 0 } },
      byApplication: {},
      byProduct: { [server.id]: { total: 0, failed: 0, byLicenseState: {} } },
    });
  });

  it('an expired CMID in the snapshot does not count and is removed by the next sweep', () => {
    const { engine, clock } = setup();
    engine.restore({
      cmids: [entry(1, clock.now() - 31 * DAY_MS), entry(2, clock.now())],
      capacities: { [APPLICATION_OS.id]: 10 },
      counters: emptyCounterSnapshot(),
    });
    expect(engine.count(APPLICATION_OS.id)).toBe(1);
    expect(engine.expire()).toEqual([{ kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(1) }]);
  });
});
