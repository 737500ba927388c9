/**
 * Collects a rehearsal's series and moments as it runs: requests per host per day and per hour
 * (from the records the hosts' journals receive), the engines' counts at the end of each day, the
 * clients' license states, and the notable moments (threshold crossings from the engines' own
 * events, whole groups retrying, first clients out of tolerance or in notification, clones).
 */
import { HOUR_MS } from '../../shared/domain/timings.js';
import { APPLICATIONS, type Product, type ProductCatalog } from '../../shared/domain/products.js';
import type { ActivationRecord } from '../store/types.js';
import type { SimHost } from './sim-host.js';
import { bucketOf, type FleetRun, type GroupTally, type SimClient } from './sim-fleet.js';
import {
  dayOf,
  type ClientSeries,
  type GroupSeries,
  type HostSeries,
  type Moment,
  type SimResult,
} from './sim-result.js';
import type { Scenario, ScenarioHost } from './scenario-schema.js';

const groupLabel = (applicationId: string, threshold: number) =>
  `${APPLICATIONS.find((a) => a.id === applicationId)?.name ?? applicationId} ≥ ${threshold}`;

export class Recorder {
  readonly #scenario: Scenario;
  readonly #start: number;
  readonly #hosts = new Map<string, HostSeries>();
  readonly #groups: GroupSeries[] = [];
  readonly #tallies = new Map<string, GroupTally>();
  readonly #hourly: number[];
  readonly #moments: Moment[] = [];
  readonly #clients: ClientSeries = { present: [], activated: [], grace: [], unlicensed: [], retrying: [], away: [] };
  readonly #clones = new Set<string>();
  #day = 0;
  #failedAttempts = 0;
  #clientCount = 0;
  #seenOutOfTolerance = false;
  #seenNotification = false;

  constructor(scenario: Scenario, start: number, catalog: ProductCatalog) {
    this.#scenario = scenario;
    this.#start = start;
    this.#hourly = new Array<number>(scenario.days * 24).fill(0);
    // One series per host and threshold group of the products the fleets run.
    const products = scenario.fleets.map((f) => catalog.find(f.product)!);
    const groups = new Map<string, { applicationId: string; threshold: number; names: Set<string> }>();
    for (const p of products) {
      const key = `${p.applicationId}:${p.threshold}`;
      const g = groups.get(key) ?? { applicationId: p.applicationId, threshold: p.threshold, names: new Set() };
      g.names.add(p.name);
      groups.set(key, g);
    }
    for (const h of scenario.hosts) {
      for (const g of groups.values()) {
        this.#groups.push({
          host: h.name,
          applicationId: g.applicationId,
          label: groupLabel(g.applicationId, g.threshold),
          threshold: g.threshold,
          productNames: [...g.names],
          count: [],
          firstReachedDay: null,
          firstBelowDay: null,
        });
      }
    }
  }

  tallyFor(product: Product): GroupTally {
    const label = groupLabel(product.applicationId, product.threshold);
    let tally = this.#tallies.get(label);
    if (!tally) {
      tally = { label, present: 0, retrying: 0, everActivated: false, allRetrying: false };
      this.#tallies.set(label, tally);
    }
    return tally;
  }

  watchHost(host: SimHost, spec: ScenarioHost): void {
    this.#hosts.set(host.name, {
      name: host.name,
      priority: spec.priority,
      weight: spec.weight,
      requests: [],
      failed: [],
      unreachable: [],
      totalRequests: 0,
      totalFailed: 0,
    });
    host.on('threshold-crossed', (e) => {
      const up = e.direction === 'up';
      const label = groupLabel(e.applicationId, e.threshold);
      const series = this.#groups.find((g) => g.host === host.name && g.label === label);
      // The OS count also crosses the server threshold; only the scenario's products' thresholds are news.
      if (!series) return;
      const day = dayOf(e.at, this.#start);
      if (up) series.firstReachedDay ??= day;
      if (!up && series.firstBelowDay === null) series.firstBelowDay = day;
      this.#moment({
        at: e.at,
        kind: up ? 'threshold-reached' : 'threshold-dropped',
        host: host.name,
        group: label,
        count: e.count,
        threshold: e.threshold,
        text: up
          ? `${host.name}: count reached ${e.count} (${label}): clients are activated`
          : `${host.name}: count fell to ${e.count} (${label}): clients are no longer activated`,
      });
    });
    host.on('clone-suspected', (e) => {
      const key = `${host.name}:${e.cmid}`;
      if (this.#clones.has(key)) return;
      this.#clones.add(key);
      this.#moment({
        at: e.at,
        kind: 'clone-suspected',
        host: host.name,
        text: `${host.name}: one CMID from ${e.machineNames.length} machine names (${e.machineNames.slice(0, 3).join(', ')}): a cloned image that was not generalised`,
      });
    });
  }

  request(host: string, record: ActivationRecord): void {
    const series = this.#hosts.get(host)!;
    bump(series.requests, this.#day);
    if (!record.decision.granted) bump(series.failed, this.#day);
    const hour = Math.floor((record.at - this.#start) / HOUR_MS);
    if (hour >= 0 && hour < this.#hourly.length) this.#hourly[hour]!++;
  }

  unreachable(host: string | undefined): void {
    if (host !== undefined) bump(this.#hosts.get(host)!.unreachable, this.#day);
  }

  attempt(sc: SimClient, activated: boolean): void {
    if (!activated) this.#failedAttempts++;
    const tally = sc.fleet.tally;
    const now = sc.state?.licenses[sc.fleet.product.id]?.lastAttempt?.at ?? this.#start;
    if (!tally.allRetrying && tally.everActivated && tally.present > 0 && tally.retrying === tally.present) {
      tally.allRetrying = true;
      const intervalMin = sc.state?.licenses[sc.fleet.product.id]?.activationIntervalMin;
      this.#moment({
        at: now,
        kind: 'all-retrying',
        group: tally.label,
        count: tally.present,
        ...(intervalMin !== undefined ? { intervalMin } : {}),
        text: `all ${tally.present} clients (${tally.label}) are retrying every ${intervalMin ?? '?'} minutes`,
      });
    } else if (tally.allRetrying && tally.retrying === 0) {
      tally.allRetrying = false;
      this.#moment({
        at: now,
        kind: 'retrying-cleared',
        group: tally.label,
        count: tally.present,
        text: `every client (${tally.label}) is activated again`,
      });
    }
  }

  event(at: number, text: string, host?: string): void {
    this.#moment({ at, kind: 'event', ...(host !== undefined ? { host } : {}), text });
  }

  hostState(at: number, host: string, down: boolean): void {
    this.#moment({
      at,
      kind: down ? 'host-down' : 'host-up',
      host,
      text: `${host} ${down ? 'stops answering' : 'answers again'}`,
    });
  }

  endOfDay(day: number, now: number, fleets: Iterable<FleetRun>, hosts: Iterable<SimHost>): void {
    const tallies = { present: 0, activated: 0, grace: 0, unlicensed: 0, retrying: 0, away: 0 };
    let clients = 0;
    let outOfTolerance: SimClient | null = null;
    let notification: SimClient | null = null;
    for (const fleet of fleets) {
      clients += fleet.clients.length;
      for (const c of fleet.clients) {
        if (c.departed) continue;
        if (!c.present) {
          tallies.away++;
          continue;
        }
        tallies.present++;
        if (c.retrying) tallies.retrying++;
        const bucket = bucketOf(c, now);
        tallies[bucket]++;
        const record = c.state?.licenses[fleet.product.id];
        if (record?.validUntil != null && now >= record.validUntil) {
          if (bucket === 'grace') outOfTolerance ??= c;
          else notification ??= c;
        }
        if (bucket === 'unlicensed' && record && record.validUntil === null) notification ??= c;
      }
    }
    this.#clientCount = clients;
    for (const key of Object.keys(tallies) as (keyof typeof tallies)[]) this.#clients[key].push(tallies[key]);
    if (outOfTolerance && !this.#seenOutOfTolerance) {
      this.#seenOutOfTolerance = true;
      this.#moment({
        at: now,
        kind: 'first-out-of-tolerance',
        group: outOfTolerance.fleet.tally.label,
        text: `first client past its 180-day validity (${outOfTolerance.client.product.displayName}): out-of-tolerance grace`,
      });
    }
    if (notification && !this.#seenNotification) {
      this.#seenNotification = true;
      this.#moment({
        at: now,
        kind: 'first-notification',
        group: notification.fleet.tally.label,
        text: `first client out of grace (${notification.client.product.displayName}): notification (unlicensed)`,
      });
    }
    for (const host of hosts) {
      const series = this.#hosts.get(host.name)!;
      for (const list of [series.requests, series.failed, series.unreachable]) while (list.length <= day) list.push(0);
      for (const g of this.#groups) if (g.host === host.name) g.count.push(host.engine.count(g.applicationId));
    }
    this.#day = day + 1;
  }

  result(hosts: Iterable<SimHost>, elapsedMs: number): SimResult {
    for (const host of hosts) {
      const counters = host.engine.snapshotCounters().all;
      const series = this.#hosts.get(host.name)!;
      series.totalRequests = counters.total;
      series.totalFailed = counters.failed;
    }
    let peak = 0;
    for (let i = 1; i < this.#hourly.length; i++) if (this.#hourly[i]! > this.#hourly[peak]!) peak = i;
    const s = this.#scenario;
    const hostList = [...this.#hosts.values()];
    return {
      scenario: { name: s.name, description: s.description, days: s.days, seed: s.seed, start: this.#start },
      hosts: hostList,
      groups: this.#groups,
      clients: this.#clients,
      requestsPerHour: this.#hourly,
      peakHour: {
        at: this.#start + peak * HOUR_MS,
        day: dayOf(this.#start + peak * HOUR_MS, this.#start),
        requests: this.#hourly[peak] ?? 0,
      },
      moments: this.#moments,
      totals: {
        requests: hostList.reduce((sum, h) => sum + h.totalRequests, 0),
        failedAttempts: this.#failedAttempts,
        clients: this.#clientCount,
      },
      run: { elapsedMs: Math.round(elapsedMs), heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576) },
    };
  }

  #moment(m: Omit<Moment, 'day'>): void {
    this.#moments.push({ ...m, day: dayOf(m.at, this.#start) });
  }
}

function bump(list: number[], day: number): void {
  while (list.length <= day) list.push(0);
  list[day]!++;
}
