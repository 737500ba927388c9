import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../shared/domain/timings.js';
import type { HostKeyView } from '../../../shared/ipc/views.js';
import {
  statusTriggers,
  thresholdTriggers,
  type Trigger,
  type WatchFacts,
} from '../../../src-main/service/event-triggers.js';
import { healthOf } from '../../../src-main/service/health.js';

const key: HostKeyView = {
  maskedKey: '*****-*****-*****-*****-2E7F6',
  covers: 'desktop, generations 1 to 3',
  activated: true,
  method: 'online',
  activatedAt: 0,
  hostsUsed: 2,
  hostsLimit: 6,
  activationNumber: 1,
  activationsLimit: 10,
  pendingInstallationId: null,
};

const at = Date.UTC(2026, 11, 1);
function facts(overrides: Partial<WatchFacts> = {}): WatchFacts {
  return {
    at,
    health: { state: 'serving' },
    hostKey: key,
    thresholds: [
      {
        applicationId: 'os',
        applicationName: 'Operating systems',
        threshold: 25,
        products: ['Quorum Desktop 3'],
        count: 30,
        met: true,
        safeUntil: at + 20 * DAY_MS,
      },
    ],
    ...overrides,
  };
}

const raised = (ts: Trigger[]) => ts.flatMap((t) => ('raise' in t ? [t.raise] : []));
const never = () => false;

describe('status triggers', () => {
  it('raise nothing for a healthy host far from its limits', () => {
    expect(raised(statusTriggers(null, facts(), never))).toEqual([]);
  });

  it('say why the host is not activating, with the fix, as an open condition', () => {
    const health = healthOf({
      serving: false,
      hostKey: { ...key, activated: false },
      listening: [],
      storeProblem: null,
    });
    const [e] = raised(statusTriggers(null, facts({ health }), never));
    expect(e).toMatchObject({
      kind: 'not-activating',
      severity: 'action',
      key: 'health:key-not-activated',
      endsOn: 'resolve',
      view: 'keys',
    });
    expect(e!.message).toMatch(/not activated.*quorum key activate/);
  });

  it('name a store failure before anything else, and a listener that is down', () => {
    const store = healthOf({ serving: true, hostKey: key, listening: [], storeProblem: 'disk full' });
    expect(raised(statusTriggers(null, facts({ health: store }), never))[0]).toMatchObject({ kind: 'store-failing' });
    const listener = healthOf({ serving: true, hostKey: key, listening: [], storeProblem: null });
    expect(raised(statusTriggers(null, facts({ health: listener }), never))[0]).toMatchObject({
      kind: 'listener-down',
      view: 'settings',
    });
  });

  it('end the condition and say so once the host activates again', () => {
    const down = facts({ health: healthOf({ serving: false, hostKey: null, listening: ['x'], storeProblem: null }) });
    const ts = statusTriggers(down, facts(), never);
    expect(ts).toContainEqual({ resolve: 'health:no-key' });
    expect(raised(ts)).toEqual([expect.objectContaining({ kind: 'activating', severity: 'info' })]);
  });

  it('warn when the count will fall below a met threshold within 7 days, and not before', () => {
    const soon = facts({ thresholds: [{ ...facts().thresholds[0]!, safeUntil: at + 3 * DAY_MS }] });
    const [e] = raised(statusTriggers(null, soon, never));
    expect(e).toMatchObject({ kind: 'forecast-below', severity: 'warning', key: 'forecast:os:25' });
    expect(e!.message).toMatch(/falls below 25 on 2026-12-04 00:00 UTC \(within 3 days\)/);
    expect(statusTriggers(null, facts(), never)).toContainEqual({ resolve: 'forecast:os:25' });
  });

  it('warn near the host and activation limits and ask for action at them', () => {
    const near = raised(
      statusTriggers(null, facts({ hostKey: { ...key, hostsUsed: 5, activationNumber: 9 } }), () => true),
    );
    expect(near.map((e) => [e.kind, e.severity])).toEqual([
      ['hosts-limit', 'warning'],
      ['activations-limit', 'warning'],
    ]);
    const at10 = raised(
      statusTriggers(null, facts({ hostKey: { ...key, hostsUsed: 6, activationNumber: 10 } }), () => true),
    );
    expect(at10.map((e) => [e.kind, e.severity])).toEqual([
      ['hosts-limit', 'action'],
      ['activations-limit', 'action'],
    ]);
  });

  it('report a reactivation spent once', () => {
    const k = { ...key, activationNumber: 3 };
    const first = raised(statusTriggers(null, facts({ hostKey: k }), never));
    expect(first).toEqual([
      expect.objectContaining({ kind: 'reactivation-spent', key: `reactivation:${key.maskedKey}:3` }),
    ]);
    expect(first[0]!.message).toMatch(/activation 3 of 10, 7 reactivations left/);
    expect(raised(statusTriggers(null, facts({ hostKey: k }), () => true))).toEqual([]);
  });
});

describe('threshold triggers', () => {
  const crossing = {
    applicationId: 'os',
    applicationName: 'Operating systems',
    threshold: 5,
    count: 5,
    direction: 'up' as const,
    at,
    coveredProducts: ['Quorum Server 3'],
  };
  it('raise nothing when the key covers none of the products', () => {
    expect(thresholdTriggers({ ...crossing, coveredProducts: [] })).toEqual([]);
  });
  it('name only the covered products, and end the "dropped" episode when it is reached again', () => {
    const ts = thresholdTriggers(crossing);
    expect(ts[0]).toEqual({ resolve: 'threshold-down:os:5' });
    expect(raised(ts)[0]!.message).toBe(
      'Operating systems: the count reached 5 of 5; Quorum Server 3 clients are now activated.',
    );
    const down = raised(thresholdTriggers({ ...crossing, direction: 'down', count: 4 }))[0]!;
    expect(down).toMatchObject({ severity: 'warning', key: 'threshold-down:os:5', endsOn: 'resolve' });
  });
});
