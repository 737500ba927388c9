/**
 * A scenario as a list of timed actions: each client's arrival (by the fleet's arrival curve),
 * departures, laptops leaving, host outages and the events. The driver applies them in time order
 * (ties in the order listed here), between the agents' own timers.
 */
import type { ProductFamily } from '../../shared/domain/products.js';
import type { RandomSource } from '../../shared/domain/random.js';
import { DAY_MS, HOUR_MS } from '../../shared/domain/timings.js';
import type { SimClient } from './sim-fleet.js';
import type { Scenario, ScenarioFleet } from './scenario-schema.js';

export type Action =
  | { kind: 'arrive'; at: number; fleet: string }
  | { kind: 'depart'; at: number; fleet: string; count: number; text(n: number): string }
  | { kind: 'away'; at: number; fleet: string; count: number; days: number; text(n: number): string }
  | { kind: 'return'; at: number; client: SimClient }
  | { kind: 'note'; at: number; text: string }
  | { kind: 'host-down'; at: number; host: string; withdraw: boolean }
  | { kind: 'host-up'; at: number; host: string }
  | { kind: 'key'; at: number; host: string; family: ProductFamily | null; text: string }
  | {
      kind: 'intervals';
      at: number;
      host: string | undefined;
      activationMin: number | undefined;
      renewalMin: number | undefined;
      text: string;
    };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Arrival moments of a fleet's clients, in order. */
export function arrivalTimes(fleet: ScenarioFleet, start: number, random: RandomSource): number[] {
  const { day, hour, overHours, curve } = fleet.arrival;
  const first = start + day * DAY_MS + Math.round(hour * HOUR_MS);
  const span = overHours * HOUR_MS;
  const times: number[] = [];
  for (let i = 0; i < fleet.size; i++) {
    // bell: the mean of three uniform draws, which gathers around the middle of the span.
    const share = curve === 'bell' ? (random() + random() + random()) / 3 : fleet.size <= 1 ? 0 : i / fleet.size;
    times.push(first + Math.floor(share * span));
  }
  return times.sort((a, b) => a - b);
}

export function scenarioActions(scenario: Scenario, start: number, random: RandomSource): Action[] {
  const at = (day: number) => start + Math.round(day * DAY_MS);
  const actions: Action[] = [];
  for (const f of scenario.fleets) {
    for (const t of arrivalTimes(f, start, random)) actions.push({ kind: 'arrive', at: t, fleet: f.name });
    for (const d of f.departures) {
      actions.push({
        kind: 'depart',
        at: at(d.day),
        fleet: f.name,
        count: d.count,
        text: (n) => `${plural(n, 'client')} of ${f.name} left for good`,
      });
    }
    for (const a of f.away) {
      actions.push({
        kind: 'away',
        at: at(a.day),
        fleet: f.name,
        count: a.count,
        days: a.days,
        text: (n) => `${plural(n, 'laptop')} of ${f.name} went on the road for ${plural(a.days, 'day')}`,
      });
    }
  }
  for (const h of scenario.hosts) {
    for (const o of h.outages) {
      actions.push({ kind: 'host-down', at: at(o.from), host: h.name, withdraw: o.withdraw });
      actions.push({ kind: 'host-up', at: at(o.to), host: h.name });
    }
  }
  for (const e of scenario.events) {
    if (e.addClients) {
      const { fleet, count } = e.addClients;
      actions.push({ kind: 'note', at: at(e.day), text: `${plural(count, 'new client')} joined ${fleet}` });
      for (let i = 0; i < e.addClients.count; i++)
        actions.push({ kind: 'arrive', at: at(e.day), fleet: e.addClients.fleet });
    } else if (e.removeClients) {
      const { fleet } = e.removeClients;
      actions.push({
        kind: 'depart',
        at: at(e.day),
        fleet,
        count: e.removeClients.count,
        text: (n) => `${plural(n, 'client')} of ${fleet} removed`,
      });
    } else if (e.uninstallKey) {
      actions.push({
        kind: 'key',
        at: at(e.day),
        host: e.uninstallKey.host,
        family: null,
        text: 'host key uninstalled',
      });
    } else if (e.installKey) {
      const { host, family } = e.installKey;
      actions.push({ kind: 'key', at: at(e.day), host, family, text: `${family} host key installed` });
    } else if (e.setIntervals) {
      const { host, activationMin, renewalMin } = e.setIntervals;
      const parts = [
        activationMin !== undefined ? `activation interval ${activationMin} min` : '',
        renewalMin !== undefined ? `renewal interval ${renewalMin} min` : '',
      ].filter(Boolean);
      actions.push({
        kind: 'intervals',
        at: at(e.day),
        host,
        activationMin,
        renewalMin,
        text: `${parts.join(', ')} on ${host ?? 'every host'}`,
      });
    }
  }
  return actions;
}
