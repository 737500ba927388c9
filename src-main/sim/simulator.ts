/**
 * Runs a rehearsal: the scenario's hosts (real engines), DNS model and fleets (real client agents)
 * on one VirtualClock, day by day, firing each agent's timer and waiting for its attempt before the
 * next. Scenario actions (arrivals, departures, laptops leaving and returning, outages, events) are
 * applied at their moments. Deterministic for a seed: every random draw comes from it.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { QuorumError } from '../../shared/domain/errors.js';
import { DAY_MS, HOUR_MS } from '../../shared/domain/timings.js';
import { VirtualClock } from '../../shared/domain/clock.js';
import { ProductCatalog } from '../../shared/domain/products.js';
import { seededRandom } from '../../shared/domain/random.js';
import { DEFAULT_SERVICE_NAME, queryNameOf } from '../dns/srv-lookup.js';
import type { ActivationRecord } from '../store/types.js';
import {
  bringIn,
  newClient,
  takeOut,
  uuidFrom,
  type FleetContext,
  type FleetRun,
  type SimClient,
} from './sim-fleet.js';
import { SimDns } from './sim-dns.js';
import { directTransport, SimHost } from './sim-host.js';
import { Recorder } from './sim-recorder.js';
import type { SimResult } from './sim-result.js';
import { scenarioActions, type Action } from './scenario-actions.js';
import type { Scenario } from './scenario-schema.js';

export interface SimOptions {
  /** Overrides the scenario's duration. */
  days?: number;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** After each simulated day. */
  onProgress?(progress: { day: number; days: number }): void;
  /** Aborting ends the run with SIM_CANCELLED at the next day boundary. */
  signal?: AbortSignal;
  /** Every request a host decided (tests compare hosts' counts with what they received). */
  onRequest?(host: string, record: ActivationRecord): void;
}

const PORT = 1688;

export async function runSimulation(input: Scenario, options: SimOptions = {}): Promise<SimResult> {
  const began = performance.now();
  const scenario: Scenario = { ...input, days: options.days ?? input.days, seed: options.seed ?? input.seed };
  const start = Date.parse(`${scenario.start}T00:00:00Z`);
  const clock = new VirtualClock(start);
  const random = seededRandom(scenario.seed);
  const catalog = new ProductCatalog();
  const recorder = new Recorder(scenario, start, catalog);

  const hosts = new Map<string, SimHost>();
  const dns = new SimDns({
    queryName: queryNameOf(DEFAULT_SERVICE_NAME, scenario.domain),
    clock,
    ttlSeconds: scenario.dnsTtlSeconds,
  });
  for (const h of scenario.hosts) {
    const host = new SimHost({
      name: h.name,
      port: PORT,
      family: h.family,
      clock,
      catalog,
      seed: scenario.seed,
      activationIntervalMin: scenario.intervals.activationMin,
      renewalIntervalMin: scenario.intervals.renewalMin,
      onRecord: (sh, record) => {
        recorder.request(sh.name, record);
        options.onRequest?.(sh.name, record);
      },
    });
    recorder.watchHost(host, h);
    hosts.set(h.name, host);
    dns.publish({ name: h.name, port: PORT, priority: h.priority, weight: h.weight });
  }

  let fired: SimClient | null = null;
  let nextId = 0;
  const ctx: FleetContext = {
    scheduler: clock,
    catalog,
    dns,
    domain: scenario.domain,
    seed: scenario.seed,
    random,
    transportFor: (address) => directTransport(hosts, address, (host) => recorder.unreachable(host?.name)),
    onAttempt: (sc, activated) => recorder.attempt(sc, activated),
    setFired: (sc) => {
      fired = sc;
    },
  };
  const fleets = new Map<string, FleetRun>();
  for (const f of scenario.fleets) {
    const product = catalog.find(f.product)!;
    fleets.set(f.name, {
      spec: f,
      product,
      tally: recorder.tallyFor(product),
      clients: [],
      clonedCmid: uuidFrom(random),
    });
  }

  /** Runs every timer due at or before `t`, letting each attempt finish first. */
  const stepUntil = async (t: number): Promise<void> => {
    while (clock.runNext(t)) {
      const c: SimClient | null = fired;
      fired = null;
      if (c) await c.client.whenIdle();
    }
    clock.advanceTo(t);
  };

  const pick = (fleet: FleetRun, n: number, present: boolean): SimClient[] => {
    const pool = fleet.clients.filter((c) => c.present === present && !c.departed);
    const out: SimClient[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    return out;
  };

  const apply = async (action: Action): Promise<void> => {
    switch (action.kind) {
      case 'arrive': {
        const fleet = fleets.get(action.fleet)!;
        await bringIn(newClient(ctx, fleet, nextId++));
        return;
      }
      case 'depart':
      case 'away': {
        const fleet = fleets.get(action.fleet)!;
        const chosen = pick(fleet, action.count, true);
        for (const c of chosen) await takeOut(c, action.kind === 'depart');
        if (action.kind === 'away') {
          for (const c of chosen) queue.push({ kind: 'return', at: action.at + action.days * DAY_MS, client: c });
          queue.sort(byTime);
        }
        recorder.event(clock.now(), action.text(chosen.length));
        return;
      }
      case 'note':
        recorder.event(clock.now(), action.text);
        return;
      case 'return':
        if (!action.client.departed) await bringIn(action.client);
        return;
      case 'host-down': {
        const host = hosts.get(action.host)!;
        host.down = true;
        if (action.withdraw) dns.withdraw(host.name);
        recorder.hostState(clock.now(), host.name, true);
        return;
      }
      case 'host-up': {
        const host = hosts.get(action.host)!;
        host.down = false;
        const spec = scenario.hosts.find((h) => h.name === host.name)!;
        dns.publish({ name: host.name, port: PORT, priority: spec.priority, weight: spec.weight });
        recorder.hostState(clock.now(), host.name, false);
        return;
      }
      case 'key': {
        const host = hosts.get(action.host)!;
        if (action.family) host.installKey(action.family);
        else host.uninstallKey();
        recorder.event(clock.now(), action.text, host.name);
        return;
      }
      case 'intervals': {
        for (const host of hosts.values()) {
          if (action.host !== undefined && host.name !== action.host) continue;
          host.engine.changeIntervals({
            ...(action.activationMin !== undefined ? { activationIntervalMin: action.activationMin } : {}),
            ...(action.renewalMin !== undefined ? { renewalIntervalMin: action.renewalMin } : {}),
          });
        }
        recorder.event(clock.now(), action.text, action.host);
        return;
      }
    }
  };

  const byTime = (a: Action, b: Action) => a.at - b.at;
  const queue: Action[] = scenarioActions(scenario, start, random);
  queue.sort(byTime);
  let q = 0;
  for (let day = 0; day < scenario.days; day++) {
    for (let hour = 1; hour <= 24; hour++) {
      const end = start + day * DAY_MS + hour * HOUR_MS - 1;
      while (q < queue.length && queue[q]!.at <= end) {
        const action = queue[q++]!;
        await stepUntil(action.at - 1);
        clock.advanceTo(action.at);
        await apply(action);
      }
      await stepUntil(end);
      // The real host expires CMIDs on a housekeeping timer; hourly keeps the crossings' moments exact to the hour.
      for (const host of hosts.values()) host.engine.expire();
    }
    recorder.endOfDay(day, clock.now(), fleets.values(), hosts.values());
    options.onProgress?.({ day: day + 1, days: scenario.days });
    // Lets a cancel (or a worker's message) arrive; the rest of the day's work is synchronous.
    await yieldToLoop();
    if (options.signal?.aborted) {
      throw new QuorumError('SIM_CANCELLED', `The rehearsal was cancelled on day ${day + 1} of ${scenario.days}.`);
    }
  }
  for (const f of fleets.values()) for (const c of f.clients) await c.client.stop();
  return recorder.result(hosts.values(), performance.now() - began);
}
