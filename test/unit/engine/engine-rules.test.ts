import { describe, expect, it } from 'vitest';
import {
  APPLICATION_OFFICE,
  APPLICATION_OS,
  DAY_MS,
  LicenseState,
  QuorumError,
  VALIDITY_MIN,
} from '../../../shared/domain/index.js';
import { Engine } from '../../../src-main/engine/engine.js';
import type { EngineChange } from '../../../src-main/engine/types.js';
import { cmid, product, request, setup } from './fixtures.js';

const desktop = product('desktop');
const server = product('server');
const office = product('office');

describe('the activation decision', () => {
  it('reports the count after recording, the threshold, the intervals and the validity', () => {
    const { engine, clock } = setup();
    const { decision } = engine.handle(request(server, 1));
    expect(decision).toEqual({
      result: 'count-insufficient',
      granted: false,
      count: 1,
      threshold: 5,
      activationIntervalMin: 120,
      renewalIntervalMin: 10_080,
      validityMin: VALIDITY_MIN,
      hostTime: clock.now(),
    });
  });

  it('grants exactly when the count meets the threshold', () => {
    const { engine } = setup();
    const results = [1, 2, 3, 4, 5, 6].map((n) => engine.handle(request(server, n)).decision);
    expect(results.map((d) => [d.count, d.granted])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
      [5, true],
      [6, true],
    ]);
  });

  it('shares one count between desktop and server products, and keeps the office suite apart', () => {
    const { engine } = setup();
    for (let n = 1; n <= 3; n++) engine.handle(request(server, n));
    for (let n = 4; n <= 5; n++) engine.handle(request(desktop, n));
    expect(engine.count(APPLICATION_OS.id)).toBe(5);
    expect(engine.count(APPLICATION_OFFICE.id)).toBe(0);
    expect(engine.handle(request(office, 6)).decision.count).toBe(1);
    expect(engine.handle(request(server, 7)).decision).toMatchObject({ count: 6, granted: true });
  });
});

describe('the CMID table', () => {
  it('a renewal replaces the record: the count stays, the 30-day period starts again', () => {
    const { engine, clock } = setup();
    engine.handle(request(server, 1));
    engine.handle(request(server, 2));
    clock.advance(20 * DAY_MS);
    const renewal = engine.handle(request(server, 1));
    expect(renewal.decision.count).toBe(2);
    expect(renewal.changes).toEqual([
      { kind: 'cmid-upsert', entry: expect.objectContaining({ cmid: cmid(1), lastSeen: clock.now() }) },
    ]);
    clock.advance(15 * DAY_MS);
    // Client 2 was last seen 35 days ago; client 1, 15 days ago.
    expect(engine.count(APPLICATION_OS.id)).toBe(1);
  });

  it('a request naming a different previous CMID removes it, so a re-imaged machine counts once', () => {
    const { engine } = setup();
    engine.handle(request(server, 1));
    engine.handle(request(server, 2));
    const { decision, changes } = engine.handle(request(server, 3, { previousCmid: cmid(1) }));
    expect(decision.count).toBe(2);
    expect(changes).toContainEqual({ kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(1) });
  });

  it('a previous CMID equal to the CMID is an ordinary renewal', () => {
    const { engine } = setup();
    engine.handle(request(server, 1));
    expect(engine.handle(request(server, 1, { previousCmid: cmid(1) })).decision.count).toBe(1);
  });

  it('a CMID counts for 30 days, then drops out on read and is removed by the next request or sweep', () => {
    const { engine, clock } = setup();
    engine.handle(request(server, 1));
    clock.advance(30 * DAY_MS - 1);
    expect(engine.count(APPLICATION_OS.id)).toBe(1);
    clock.advance(1);
    expect(engine.count(APPLICATION_OS.id)).toBe(0);
    const { changes } = engine.handle(request(server, 2));
    expect(changes[0]).toEqual({ kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(1) });
    expect(engine.sweep()).toBe(0);
  });

  it('sweep removes expired CMIDs in every table and reports them', () => {
    const { engine, clock } = setup();
    engine.handle(request(server, 1));
    engine.handle(request(office, 2));
    clock.advance(10 * DAY_MS);
    engine.handle(request(server, 3));
    clock.advance(25 * DAY_MS);
    const expired: string[][] = [];
    engine.on('cmids-expired', (e) => expired.push(e.cmids));
    const changes = engine.expire();
    expect(changes).toEqual([
      { kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(1) },
      { kind: 'cmid-remove', applicationId: APPLICATION_OFFICE.id, cmid: cmid(2) },
    ]);
    expect(expired).toEqual([[cmid(1)], [cmid(2)]]);
    expect(engine.count(APPLICATION_OS.id)).toBe(1);
  });

  it('when the cache is full the least recently seen CMID is evicted', () => {
    const { engine, clock } = setup();
    const changes: EngineChange[] = [];
    for (let n = 1; n <= 11; n++) {
      changes.push(...engine.handle(request(server, n)).changes);
      clock.advance(60_000);
    }
    expect(engine.capacity(APPLICATION_OS.id)).toBe(10);
    expect(engine.count(APPLICATION_OS.id)).toBe(10);
    expect(changes.at(-1)).toEqual({ kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(1) });
  });

  it('a renewal protects a CMID from eviction', () => {
    const { engine } = setup();
    for (let n = 1; n <= 10; n++) engine.handle(request(server, n));
    engine.handle(request(server, 1));
    const { changes } = engine.handle(request(server, 11));
    expect(changes.at(-1)).toEqual({ kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmid(2) });
  });
});

describe('refusals', () => {
  it('an unknown product is refused, counted as failed, and records nothing', () => {
    const { engine } = setup();
    const outcome = engine.handle(request(server, 1, { productId: 'aaaaaaaa-0000-4000-8000-000000000000' }));
    expect(outcome.decision).toMatchObject({ result: 'unknown-product', granted: false });
    expect(outcome.decision.message).toMatch(/not in this host's catalogue/);
    expect(outcome.changes).toEqual([]);
    expect(engine.snapshotCounters().all).toEqual({ total: 1, failed: 1, byLicenseState: { 2: 1 } });
    expect(engine.snapshotCounters().byProduct).toEqual({});
  });

  it('a product named under the wrong application or product group is an invalid request', () => {
    const { engine } = setup();
    const wrongApp = engine.handle(request(server, 1, { applicationId: APPLICATION_OFFICE.id })).decision;
    expect(wrongApp.result).toBe('invalid-request');
    expect(wrongApp.message).toMatch(/belongs to application/);
    const wrongGroup = engine.handle(request(server, 1, { productGroupId: desktop.groupId })).decision;
    expect(wrongGroup.result).toBe('invalid-request');
    expect(wrongGroup.message).toMatch(/product group/);
    expect(engine.count(APPLICATION_OS.id)).toBe(0);
  });

  it('until the host key is activated every request is refused with the gate reason', () => {
    const { engine } = setup();
    engine.setServingGate({ serving: false, reason: 'No host key is activated. Run "quorum key activate".' });
    const { decision, changes } = engine.handle(request(server, 1));
    expect(decision).toMatchObject({ result: 'host-not-activated', granted: false, count: 0, threshold: 5 });
    expect(decision.message).toContain('quorum key activate');
    expect(changes).toEqual([]);
    expect(engine.snapshotCounters().all.failed).toBe(1);
    engine.setServingGate({ serving: true });
    expect(engine.handle(request(server, 1)).decision.result).toBe('count-insufficient');
  });

  it('refuse() counts requests turned away before the engine, per known application and product only', () => {
    const { engine } = setup();
    engine.refuse({ applicationId: APPLICATION_OS.id, productId: server.id, licenseState: 0 }, 'admission-refused');
    engine.refuse({ applicationId: 'ffffffff-0000-4000-8000-000000000000', productId: 'nope' }, 'rate-limited');
    engine.refuse({}, 'invalid-request');
    const c = engine.snapshotCounters();
    expect(c.all).toEqual({ total: 3, failed: 3, byLicenseState: { 0: 1 } });
    expect(Object.keys(c.byApplication)).toEqual([APPLICATION_OS.id]);
    expect(Object.keys(c.byProduct)).toEqual([server.id]);
  });
});

describe('counters and intervals', () => {
  it('counts total, failed and by license state, per application and per product', () => {
    const { engine } = setup();
    for (let n = 1; n <= 5; n++) engine.handle(request(server, n, { licenseState: LicenseState.InitialGrace }));
    engine.handle(request(server, 1, { licenseState: LicenseState.Licensed }));
    engine.handle(request(office, 9, { licenseState: LicenseState.Notification }));
    const c = engine.snapshotCounters();
    // Below-threshold answers are handled requests, not failures (as on a KMS host's /dlv).
    expect(c.all).toEqual({ total: 7, failed: 0, byLicenseState: { 1: 1, 2: 5, 5: 1 } });
    expect(c.byApplication[APPLICATION_OS.id]).toEqual({ total: 6, failed: 0, byLicenseState: { 1: 1, 2: 5 } });
    expect(c.byProduct[office.id]).toEqual({ total: 1, failed: 0, byLicenseState: { 5: 1 } });
  });

  it('intervals are configurable from 15 minutes to 30 days and sent in every reply', () => {
    const { engine } = setup();
    engine.changeIntervals({ activationIntervalMin: 15, renewalIntervalMin: 43_200 });
    expect(engine.handle(request(server, 1)).decision).toMatchObject({
      activationIntervalMin: 15,
      renewalIntervalMin: 43_200,
    });
  });

  it.each([14, 43_201, 1.5, Number.NaN])('refuses interval %s with INTERVAL_OUT_OF_RANGE and keeps both', (bad) => {
    const { engine } = setup();
    let thrown: unknown;
    try {
      engine.changeIntervals({ activationIntervalMin: 60, renewalIntervalMin: bad });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(QuorumError);
    expect((thrown as QuorumError).code).toBe('INTERVAL_OUT_OF_RANGE');
    expect((thrown as QuorumError).message).toMatch(/renewal interval must be a whole number of minutes from 15/);
    expect(engine.intervals).toEqual({ activationIntervalMin: 120, renewalIntervalMin: 10_080 });
  });

  it('the constructor checks intervals too', () => {
    const { clock, catalog } = setup();
    expect(() => new Engine({ clock, catalog, activationIntervalMin: 5 })).toThrow(/activation interval/);
  });
});
