/**
 * The worked example of docs/model.md and the cache rules, replayed on a virtual clock with clients that
 * behave as documented: an activated client renews every renewal interval, any other retries every
 * activation interval, both taken from the host's last reply.
 */
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_OS,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  ProductCatalog,
  type Product,
  type TimerHandle,
} from '../../../shared/domain/index.js';
import type { ActivationDecision, EngineEvents } from '../../../src-main/engine/types.js';
import { product, request, setup } from './fixtures.js';

const desktop = product('desktop');
const server = product('server');

type Setup = ReturnType<typeof setup>;

class SimClient {
  last: ActivationDecision | undefined;
  lastAt = 0;
  nextAt = 0;
  #timer: TimerHandle | undefined;

  constructor(
    private readonly env: Setup,
    readonly n: number,
    private readonly p: Product,
  ) {}

  start(): void {
    this.#ask();
  }

  leave(): void {
    this.#timer?.cancel();
  }

  get activated(): boolean {
    return this.last?.granted ?? false;
  }

  #ask(): void {
    this.lastAt = this.env.clock.now();
    this.last = this.env.engine.handle(request(this.p, this.n)).decision;
    const minutes = this.last.granted ? this.last.renewalIntervalMin : this.last.activationIntervalMin;
    this.nextAt = this.env.clock.now() + minutes * MINUTE_MS;
    this.#timer = this.env.clock.at(this.nextAt, () => this.#ask());
  }
}

describe('the worked example of docs/model.md', () => {
  it('25 clients; two leave; by day 30 the count is 23 and clients retry every 2 hours; two join and all is well', () => {
    const env = setup();
    const { engine, clock } = env;
    const crossings: EngineEvents['threshold-crossed'][] = [];
    engine.on('threshold-crossed', (e) => crossings.push(e));
    const start = clock.now();

    // 25 machines arrive ten minutes apart. The first 24 are refused and keep retrying.
    const clients = Array.from({ length: 25 }, (_, i) => new SimClient(env, i + 1, desktop));
    for (const c of clients) {
      c.start();
      if (c.n < 25) expect(c.last).toMatchObject({ count: c.n, threshold: 25, granted: false });
      clock.advance(10 * MINUTE_MS);
    }
    expect(clients[24]!.last).toMatchObject({ count: 25, granted: true });
    clock.advance(2 * HOUR_MS);
    expect(clients.every((c) => c.activated)).toBe(true);
    expect(crossings.map((e) => [e.direction, e.threshold, e.count])).toEqual([
      ['up', 5, 5],
      ['up', 25, 25],
    ]);

    // Day 1: two laptops leave for good. The others renew weekly.
    clock.advanceTo(start + DAY_MS);
    const [gone1, gone2] = [clients[0]!, clients[1]!];
    gone1.leave();
    gone2.leave();
    const staying = clients.slice(2);
    const lastContactOfLeavers = Math.max(gone1.lastAt, gone2.lastAt);

    // Their CMIDs drop out 30 days after their last contact; the service's sweep notices.
    clock.advanceTo(lastContactOfLeavers + 30 * DAY_MS);
    expect(engine.sweep()).toBe(2);
    expect(engine.count(APPLICATION_OS.id)).toBe(23);
    expect(crossings.at(-1)).toMatchObject({ direction: 'down', threshold: 25, count: 23 });

    // Within 7 days every remaining client's renewal has been refused and it retries every 2 hours.
    clock.advance(7 * DAY_MS);
    for (const c of staying) {
      expect(c.last).toMatchObject({ count: 23, threshold: 25, granted: false, result: 'count-insufficient' });
      expect(c.nextAt - clock.now()).toBeLessThanOrEqual(2 * HOUR_MS);
    }

    // Two new machines join: the count is 25 again and, within one retry interval, everyone is activated.
    const newcomers = [new SimClient(env, 26, desktop), new SimClient(env, 27, desktop)];
    for (const c of newcomers) c.start();
    expect(newcomers[1]!.last).toMatchObject({ count: 25, granted: true });
    expect(crossings.at(-1)).toMatchObject({ direction: 'up', threshold: 25, count: 25 });
    clock.advance(2 * HOUR_MS);
    expect([...staying, ...newcomers].every((c) => c.activated)).toBe(true);
    expect(engine.count(APPLICATION_OS.id)).toBe(25);
    for (const c of [...clients, ...newcomers]) c.leave();
  });
});

describe('the cache rules', () => {
  it('holds 10 CMIDs with servers only, 50 once a desktop client appears, and never goes back to 10', () => {
    const { engine, clock } = setup();
    const grew: EngineEvents['capacity-grew'][] = [];
    engine.on('capacity-grew', (e) => grew.push(e));
    for (let n = 1; n <= 12; n++) engine.handle(request(server, n));
    expect(engine.capacity(APPLICATION_OS.id)).toBe(10);
    expect(engine.count(APPLICATION_OS.id)).toBe(10);

    const first = engine.handle(request(desktop, 100));
    expect(first.changes).toContainEqual({ kind: 'capacity', applicationId: APPLICATION_OS.id, capacity: 50 });
    expect(engine.capacity(APPLICATION_OS.id)).toBe(50);
    for (let n = 13; n <= 60; n++) engine.handle(request(server, n));
    expect(engine.count(APPLICATION_OS.id)).toBe(50);

    // Everything expires, only servers come back: still 50.
    clock.advance(31 * DAY_MS);
    engine.sweep();
    for (let n = 200; n <= 215; n++) engine.handle(request(server, n));
    expect(engine.capacity(APPLICATION_OS.id)).toBe(50);
    expect(engine.count(APPLICATION_OS.id)).toBe(16);

    // And after a restart from the persisted state.
    const restarted = setup({ start: clock.now() });
    restarted.engine.restore(engine.snapshot());
    expect(restarted.engine.capacity(APPLICATION_OS.id)).toBe(50);
    expect(grew.map((e) => [e.from, e.to])).toEqual([
      [0, 10],
      [10, 50],
    ]);
  });

  it('a user-added product with a larger threshold grows its application’s cache', () => {
    const catalog = new ProductCatalog();
    catalog.add({ ...desktop, id: '11111111-2222-4333-8444-555555555555', name: 'lab', threshold: 40 });
    const { engine } = setup({ catalog });
    engine.handle(request(product('lab', catalog), 1));
    expect(engine.capacity(APPLICATION_OS.id)).toBe(80);
  });
});

describe('what a new user sees from the CLI (engine level)', () => {
  it('24 desktop clients are refused with the count shown; the 25th is activated', () => {
    const { engine } = setup();
    for (let n = 1; n <= 24; n++) {
      expect(engine.handle(request(desktop, n)).decision).toMatchObject({
        result: 'count-insufficient',
        count: n,
        threshold: 25,
        granted: false,
      });
    }
    expect(engine.handle(request(desktop, 25)).decision).toMatchObject({ result: 'granted', count: 25 });
  });

  it('5 server clients are enough for server products', () => {
    const { engine } = setup();
    const decisions = [1, 2, 3, 4, 5].map((n) => engine.handle(request(server, n)).decision);
    expect(decisions.map((d) => d.granted)).toEqual([false, false, false, false, true]);
    expect(decisions[4]).toMatchObject({ count: 5, threshold: 5 });
  });
});
