// The host serves only products its installed key covers: its family (a server key also covers
// desktop) up to its generation. Anything else is refused, counted as failed, and never counted.
import { describe, expect, it } from 'vitest';
import { product, request, setup } from './fixtures.js';

const desktop = product('desktop');
const desktop2 = product('desktop-2');
const server = product('server');
const office = product('office');

describe('key coverage', () => {
  it('refuses a product of another family, records nothing and counts a failure', () => {
    const { engine } = setup();
    engine.setServingGate({ serving: true, coverage: { family: 'desktop', maxGeneration: 3 } });
    const outcome = engine.handle(request(office, 1));
    expect(outcome.decision).toMatchObject({ result: 'product-not-covered', granted: false });
    expect(outcome.decision.message).toMatch(/desktop, generations 1 to 3\) does not cover Quorum Office 3/);
    expect(outcome.changes).toEqual([]);
    expect(engine.snapshotCounters().all).toMatchObject({ total: 1, failed: 1 });
    expect(engine.status().applications.every((a) => a.count === 0)).toBe(true);
  });

  it('covers older generations of the family but not newer ones', () => {
    const { engine } = setup();
    engine.setServingGate({ serving: true, coverage: { family: 'desktop', maxGeneration: 2 } });
    expect(engine.handle(request(desktop2, 1)).decision.result).toBe('count-insufficient');
    expect(engine.handle(request(desktop, 2)).decision.result).toBe('product-not-covered');
  });

  it('lets a server key serve both server and desktop clients, which share one count', () => {
    const { engine } = setup();
    engine.setServingGate({ serving: true, coverage: { family: 'server', maxGeneration: 3 } });
    expect(engine.handle(request(server, 1)).decision).toMatchObject({ result: 'count-insufficient', count: 1 });
    expect(engine.handle(request(desktop, 2)).decision).toMatchObject({ result: 'count-insufficient', count: 2 });
    expect(engine.handle(request(office, 3)).decision.result).toBe('product-not-covered');
  });
});
