import { describe, expect, it } from 'vitest';
import { APPLICATION_OS, DAY_MS, HOUR_MS, MINUTE_MS } from '../../../shared/domain/index.js';
import type { EngineEvents } from '../../../src-main/engine/types.js';
import { cmid, product, request, setup } from './fixtures.js';

const desktop = product('desktop');
const server = product('server');

function collect<K extends keyof EngineEvents>(env: ReturnType<typeof setup>, event: K): EngineEvents[K][] {
  const seen: EngineEvents[K][] = [];
  env.engine.on(event, (e) => seen.push(e));
  return seen;
}

describe('cloned images', () => {
  it('one CMID from two machine names raises a warning naming both', () => {
    const env = setup();
    const clones = collect(env, 'clone-suspected');
    env.engine.handle(request(server, 1, { machineName: 'LAB-01', address: '10.0.0.11' }));
    env.clock.advance(3 * DAY_MS);
    env.engine.handle(request(server, 1, { machineName: 'LAB-02', address: '10.0.0.12' }));
    expect(clones).toEqual([
      {
        applicationId: APPLICATION_OS.id,
        cmid: cmid(1),
        machineNames: ['LAB-01', 'LAB-02'],
        addresses: ['10.0.0.11', '10.0.0.12'],
        seenAt: [env.clock.now() - 3 * DAY_MS, env.clock.now()],
        at: env.clock.now(),
      },
    ]);
    // The clones count once: that is why the count never rises.
    expect(env.engine.count(APPLICATION_OS.id)).toBe(1);
  });

  it('one CMID from two addresses within one retry interval is suspected; a machine that moved is not', () => {
    const env = setup();
    const clones = collect(env, 'clone-suspected');
    env.engine.handle(request(server, 1, { machineName: 'PC-1', address: '10.0.0.1' }));
    env.clock.advance(7 * DAY_MS);
    env.engine.handle(request(server, 1, { machineName: 'pc-1', address: '192.168.1.5' }));
    expect(clones).toEqual([]);
    env.clock.advance(30 * MINUTE_MS);
    env.engine.handle(request(server, 1, { machineName: 'PC-1', address: '10.0.0.1' }));
    expect(clones).toHaveLength(1);
    expect(clones[0]!.addresses).toEqual(['192.168.1.5', '10.0.0.1']);
  });

  it('clones retrying every two hours are reported once a day, not on every request', () => {
    const env = setup();
    const clones = collect(env, 'clone-suspected');
    for (let i = 0; i < 24; i++) {
      env.engine.handle(request(server, 1, { machineName: i % 2 === 0 ? 'LAB-01' : 'LAB-02' }));
      env.clock.advance(2 * HOUR_MS);
    }
    expect(clones.map((c) => c.at - clones[0]!.at)).toEqual([0, DAY_MS]);
  });

  it('a machine renewing from the same name and address raises nothing', () => {
    const env = setup();
    const clones = collect(env, 'clone-suspected');
    for (let i = 0; i < 3; i++) {
      env.engine.handle(request(server, 1));
      env.clock.advance(HOUR_MS);
    }
    expect(clones).toEqual([]);
  });
});

describe('threshold forecast ("safe until")', () => {
  it('is when the threshold-th most recent CMID turns 30 days old', () => {
    const env = setup();
    const start = env.clock.now();
    // Six servers, one a day; then the desktop threshold is far away.
    for (let n = 1; n <= 6; n++) {
      env.engine.handle(request(server, n));
      env.clock.advance(DAY_MS);
    }
    const os = env.engine.status().applications.find((a) => a.applicationId === APPLICATION_OS.id)!;
    expect(os.count).toBe(6);
    const serverLine = os.thresholds.find((t) => t.threshold === 5)!;
    // Clients 2..6 keep the count at 5 until client 2 (seen on day 1) expires on day 31.
    expect(serverLine).toMatchObject({ met: true, needed: 0, safeUntil: start + 1 * DAY_MS + 30 * DAY_MS });
    expect(os.thresholds.find((t) => t.threshold === 25)).toMatchObject({ met: false, needed: 19, safeUntil: null });

    // The forecast holds: just before, the threshold is met; at that moment, it is lost.
    env.clock.advanceTo(serverLine.safeUntil! - 1);
    expect(env.engine.count(APPLICATION_OS.id)).toBeGreaterThanOrEqual(5);
    env.clock.advanceTo(serverLine.safeUntil!);
    expect(env.engine.count(APPLICATION_OS.id)).toBe(4);
  });

  it('moves later when a client renews', () => {
    const env = setup();
    for (let n = 1; n <= 5; n++) env.engine.handle(request(server, n));
    const first = env.engine.status().applications[0]!.thresholds[0]!.safeUntil!;
    env.clock.advance(DAY_MS);
    for (let n = 1; n <= 5; n++) env.engine.handle(request(server, n));
    expect(env.engine.status().applications[0]!.thresholds[0]!.safeUntil).toBe(first + DAY_MS);
  });
});

describe('events', () => {
  it('threshold crossings up and down name the products that share the threshold', () => {
    const env = setup();
    const crossings = collect(env, 'threshold-crossed');
    for (let n = 1; n <= 5; n++) env.engine.handle(request(server, n));
    env.clock.advance(31 * DAY_MS);
    env.engine.sweep();
    expect(crossings).toEqual([
      {
        applicationId: APPLICATION_OS.id,
        productIds: [server.id, product('server-2').id],
        direction: 'up',
        count: 5,
        threshold: 5,
        at: env.clock.now() - 31 * DAY_MS,
      },
      expect.objectContaining({ direction: 'down', count: 0, threshold: 5, at: env.clock.now() }),
    ]);
  });

  it('every request is reported with its decision, and a throwing listener does not break handling', () => {
    const env = setup();
    const handled = collect(env, 'request-handled');
    env.engine.on('request-handled', () => {
      throw new Error('listener bug');
    });
    const { decision } = env.engine.handle(request(desktop, 1));
    expect(handled).toEqual([{ input: request(desktop, 1), decision }]);
  });

  it('off() and the returned unsubscribe stop delivery', () => {
    const env = setup();
    const seen: number[] = [];
    const listener = (e: EngineEvents['request-handled']) => seen.push(e.decision.count);
    env.engine.on('request-handled', listener);
    const stop = env.engine.on('request-handled', () => seen.push(-1));
    env.engine.handle(request(server, 1));
    env.engine.off('request-handled', listener);
    stop();
    env.engine.handle(request(server, 2));
    expect(seen).toEqual([1, -1]);
  });
});
