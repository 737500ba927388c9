/**
 * The host engine: real counts over per-application CMID tables, thresholds, the cache rule, the
 * activation decision, /dlv counters and two diagnostics (cloned images, threshold forecast).
 * Pure: time comes from the injected Clock, persistence is the EngineChange list each call returns.
 * The rules are docs/model.md's; src-main/engine/README.md explains them with the choices made here.
 */
import { keyCovers } from '../../shared/keys/coverage.js';
import {
  APPLICATIONS,
  DEFAULT_ACTIVATION_INTERVAL_MIN,
  DEFAULT_RENEWAL_INTERVAL_MIN,
  MINUTE_MS,
  QuorumError,
  VALIDITY_MIN,
  checkInterval,
  type Clock,
  type IntervalName,
  type Product,
  type ProductCatalog,
  type RequestResult,
} from '../../shared/domain/index.js';
import { checkClone } from './clone-check.js';
import { CmidTable } from './cmid-table.js';
import { RequestCounterSet } from './counters.js';
import { TypedEmitter, type Listener } from './emitter.js';
import { restoreTables } from './restore.js';
import { thresholdGroups, type ThresholdGroup } from './threshold-groups.js';
import type {
  ActivationDecision,
  ActivationEngine,
  ActivationInput,
  ApplicationStatus,
  CounterSnapshot,
  EngineChange,
  EngineEvents,
  EngineIntervals,
  EngineOutcome,
  EngineSnapshot,
  EngineStatus,
  ServingGate,
} from './types.js';

export interface EngineOptions {
  clock: Clock;
  catalog: ProductCatalog;
  activationIntervalMin?: number;
  renewalIntervalMin?: number;
  /**
   * Whether the host may serve. Defaults to serving so the engine can be exercised on its own; the
   * service passes the host key's state here (and on every change through setServingGate).
   */
  servingGate?: ServingGate;
}

export class Engine implements ActivationEngine {
  readonly #clock: Clock;
  readonly #catalog: ProductCatalog;
  readonly #events = new TypedEmitter<EngineEvents>();
  readonly #counters = new RequestCounterSet();
  #tables = new Map<string, CmidTable>();
  /** The count each application last reported through events, to detect threshold crossings. */
  readonly #reportedCount = new Map<string, number>();
  #activationIntervalMin = DEFAULT_ACTIVATION_INTERVAL_MIN;
  #renewalIntervalMin = DEFAULT_RENEWAL_INTERVAL_MIN;
  #gate: ServingGate;
  #groupsCache: { size: number; byApplication: Map<string, ThresholdGroup[]> } | null = null;

  constructor(options: EngineOptions) {
    this.#clock = options.clock;
    this.#catalog = options.catalog;
    this.#gate = options.servingGate ?? { serving: true };
    this.changeIntervals(options);
  }

  on<K extends keyof EngineEvents>(event: K, listener: Listener<EngineEvents[K]>): () => void {
    return this.#events.on(event, listener);
  }

  off<K extends keyof EngineEvents>(event: K, listener: Listener<EngineEvents[K]>): void {
    this.#events.off(event, listener);
  }

  setServingGate(gate: ServingGate): void {
    // A copy, so a caller mutating its object cannot change what the engine decides with.
    this.#gate = gate.serving
      ? gate.coverage
        ? { serving: true, coverage: { ...gate.coverage } }
        : { serving: true }
      : { serving: false, reason: gate.reason };
  }

  /** Both values are checked before either changes. Throws INTERVAL_OUT_OF_RANGE. */
  changeIntervals(intervals: EngineIntervals): void {
    const check = (name: IntervalName, value: number | undefined) => {
      if (value === undefined) return;
      const problem = checkInterval(name, value);
      if (problem) {
        throw new QuorumError(
          'INTERVAL_OUT_OF_RANGE',
          problem,
          'Use the default (activation 120, renewal 10080) unless clients must retry or renew at another pace.',
        );
      }
    };
    check('activation', intervals.activationIntervalMin);
    check('renewal', intervals.renewalIntervalMin);
    this.#activationIntervalMin = intervals.activationIntervalMin ?? this.#activationIntervalMin;
    this.#renewalIntervalMin = intervals.renewalIntervalMin ?? this.#renewalIntervalMin;
  }

  get intervals(): Required<EngineIntervals> {
    return { activationIntervalMin: this.#activationIntervalMin, renewalIntervalMin: this.#renewalIntervalMin };
  }

  handle(input: ActivationInput): EngineOutcome {
    const now = this.#clock.now();
    const product = this.#catalog.byId(input.productId);
    const applicationId = this.#knownApplication(input.applicationId);
    if (!this.#gate.serving) {
      return this.#reject(input, now, 'host-not-activated', this.#gate.reason, product, applicationId);
    }
    if (!product) {
      const message = `Product ${input.productId} is not in this host's catalogue.`;
      return this.#reject(input, now, 'unknown-product', message, undefined, applicationId);
    }
    const mismatch = describeMismatch(input, product);
    if (mismatch) return this.#reject(input, now, 'invalid-request', mismatch, product, applicationId);
    const coverage = this.#gate.coverage;
    if (coverage && !keyCovers(coverage, product)) {
      const message = `This host's key (${coverage.family}, generations 1 to ${coverage.maxGeneration}) does not cover ${product.displayName}.`;
      return this.#reject(input, now, 'product-not-covered', message, product, applicationId);
    }
    return this.#record(input, product, now);
  }

  refuse(partial: { applicationId?: string; productId?: string; licenseState?: number }, result: RequestResult): void {
    const product = partial.productId === undefined ? undefined : this.#catalog.byId(partial.productId);
    this.#counters.count(
      {
        applicationId: partial.applicationId === undefined ? undefined : this.#knownApplication(partial.applicationId),
        productId: product?.id,
        licenseState: partial.licenseState,
      },
      result,
    );
  }

  /**
   * Replaces the engine's state with a persisted one. Returns the changes the store should apply to
   * match it (a damaged or hand-edited database may hold more CMIDs than the cache allows).
   */
  restore(snapshot: EngineSnapshot): EngineChange[] {
    const now = this.#clock.now();
    const restored = restoreTables(snapshot, this.#catalog);
    this.#tables = restored.tables;
    this.#counters.restore(snapshot.counters);
    this.#reportedCount.clear();
    for (const [id, table] of this.#tables) this.#reportedCount.set(id, table.countAt(now));
    return restored.changes;
  }

  snapshotCounters(): CounterSnapshot {
    return this.#counters.snapshot();
  }

  /** The full persisted state, as `restore` takes it. */
  snapshot(): EngineSnapshot {
    const cmids = [];
    const capacities: Record<string, number> = {};
    for (const [id, table] of this.#tables) {
      capacities[id] = table.capacity;
      cmids.push(...table.entries());
    }
    return { cmids, capacities, counters: this.#counters.snapshot() };
  }

  /** Current count of one application (distinct CMIDs seen in the last 30 days). */
  count(applicationId: string): number {
    return this.#tables.get(applicationId.toLowerCase())?.countAt(this.#clock.now()) ?? 0;
  }

  capacity(applicationId: string): number {
    return this.#tables.get(applicationId.toLowerCase())?.capacity ?? 0;
  }

  /** Expires CMIDs older than 30 days in every table; returns how many. The service drives it on a timer. */
  sweep(): number {
    return this.expire().length;
  }

  /** As `sweep`, returning the removals for the store. */
  expire(): EngineChange[] {
    const now = this.#clock.now();
    const changes: EngineChange[] = [];
    for (const table of this.#tables.values()) {
      for (const cmid of this.#expireTable(table, now)) {
        changes.push({ kind: 'cmid-remove', applicationId: table.applicationId, cmid });
      }
      this.#reportCount(table, now);
    }
    return changes;
  }

  status(): EngineStatus {
    const now = this.#clock.now();
    const ids = new Set<string>([...this.#groups().keys(), ...this.#tables.keys()]);
    const applications: ApplicationStatus[] = [...ids].map((applicationId) => {
      const table = this.#tables.get(applicationId);
      const count = table?.countAt(now) ?? 0;
      return {
        applicationId,
        name: APPLICATIONS.find((a) => a.id === applicationId)?.name ?? applicationId,
        count,
        capacity: table?.capacity ?? 0,
        thresholds: (this.#groups().get(applicationId) ?? []).map((g) => ({
          threshold: g.threshold,
          productIds: [...g.productIds],
          met: count >= g.threshold,
          needed: Math.max(0, g.threshold - count),
          safeUntil: table?.safeUntil(g.threshold, now) ?? null,
        })),
      };
    });
    return {
      at: now,
      serving: { ...this.#gate },
      activationIntervalMin: this.#activationIntervalMin,
      renewalIntervalMin: this.#renewalIntervalMin,
      validityMin: VALIDITY_MIN,
      applications,
      counters: this.#counters.snapshot(),
    };
  }

  #record(input: ActivationInput, product: Product, now: number): EngineOutcome {
    const applicationId = product.applicationId.toLowerCase();
    const table = this.#tableFor(applicationId);
    const changes: EngineChange[] = [];
    for (const cmid of this.#expireTable(table, now)) changes.push({ kind: 'cmid-remove', applicationId, cmid });

    const from = table.capacity;
    if (table.growTo(2 * product.threshold)) {
      changes.push({ kind: 'capacity', applicationId, capacity: table.capacity });
      this.#events.emit('capacity-grew', { applicationId, from, to: table.capacity, at: now });
    }

    const cmid = input.cmid.toLowerCase();
    const previousCmid = input.previousCmid?.toLowerCase() ?? null;
    // A re-imaged machine reports its old CMID: drop it so the machine is not counted twice.
    if (previousCmid && previousCmid !== cmid && table.remove(previousCmid)) {
      changes.push({ kind: 'cmid-remove', applicationId, cmid: previousCmid });
    }
    const { entry, previous } = table.record({
      cmid,
      lastSeen: now,
      machineName: input.machineName,
      address: input.address,
      productId: product.id,
    });
    changes.push({ kind: 'cmid-upsert', entry });
    for (const evicted of table.evictOverflow()) changes.push({ kind: 'cmid-remove', applicationId, cmid: evicted });

    const clone = checkClone(
      previous,
      { machineName: input.machineName, address: input.address, at: now },
      this.#activationIntervalMin * MINUTE_MS,
    );
    if (clone) {
      table.markCloneReported(cmid, now);
      this.#events.emit('clone-suspected', { applicationId, cmid, ...clone, at: now });
    }

    const count = table.countAt(now);
    this.#reportCount(table, now);
    const granted = count >= product.threshold;
    const decision = this.#decision(granted ? 'granted' : 'count-insufficient', count, product.threshold, now);
    return this.#finish(input, decision, changes, applicationId, product.id);
  }

  #reject(
    input: ActivationInput,
    now: number,
    result: RequestResult,
    message: string,
    product: Product | undefined,
    applicationId: string | undefined,
  ): EngineOutcome {
    const count = applicationId === undefined ? 0 : (this.#tables.get(applicationId)?.countAt(now) ?? 0);
    const decision = { ...this.#decision(result, count, product?.threshold ?? 0, now), message };
    return this.#finish(input, decision, [], applicationId, product?.id);
  }

  #finish(
    input: ActivationInput,
    decision: ActivationDecision,
    changes: EngineChange[],
    applicationId: string | undefined,
    productId: string | undefined,
  ): EngineOutcome {
    this.#counters.count({ applicationId, productId, licenseState: input.licenseState }, decision.result);
    this.#events.emit('request-handled', { input, decision });
    return { decision, changes };
  }

  #decision(result: RequestResult, count: number, threshold: number, now: number): ActivationDecision {
    return {
      result,
      granted: result === 'granted',
      count,
      threshold,
      activationIntervalMin: this.#activationIntervalMin,
      renewalIntervalMin: this.#renewalIntervalMin,
      validityMin: VALIDITY_MIN,
      hostTime: now,
    };
  }

  #expireTable(table: CmidTable, now: number): string[] {
    const expired = table.expire(now);
    if (expired.length > 0) {
      this.#events.emit('cmids-expired', {
        applicationId: table.applicationId,
        cmids: expired,
        count: table.size,
        at: now,
      });
    }
    return expired;
  }

  /** Emits a crossing for every threshold between the last reported count and the current one. */
  #reportCount(table: CmidTable, now: number): void {
    const applicationId = table.applicationId;
    const count = table.countAt(now);
    const before = this.#reportedCount.get(applicationId) ?? 0;
    this.#reportedCount.set(applicationId, count);
    if (count === before) return;
    for (const g of this.#groups().get(applicationId) ?? []) {
      const direction =
        before < g.threshold && count >= g.threshold
          ? 'up'
          : before >= g.threshold && count < g.threshold
            ? 'down'
            : null;
      if (direction) {
        this.#events.emit('threshold-crossed', {
          applicationId,
          productIds: [...g.productIds],
          direction,
          count,
          threshold: g.threshold,
          at: now,
        });
      }
    }
  }

  #tableFor(applicationId: string): CmidTable {
    let table = this.#tables.get(applicationId);
    if (!table) {
      table = new CmidTable(applicationId, 0);
      this.#tables.set(applicationId, table);
    }
    return table;
  }

  /** The id in canonical form if it names an application of the catalogue, else undefined. */
  #knownApplication(id: string): string | undefined {
    const lower = id.toLowerCase();
    return this.#groups().has(lower) || this.#tables.has(lower) ? lower : undefined;
  }

  /** Distinct thresholds per application, rebuilt when a user adds a product. */
  #groups(): Map<string, ThresholdGroup[]> {
    if (this.#groupsCache?.size !== this.#catalog.size) {
      this.#groupsCache = { size: this.#catalog.size, byApplication: thresholdGroups(this.#catalog.all()) };
    }
    return this.#groupsCache.byApplication;
  }
}

function describeMismatch(input: ActivationInput, product: Product): string | null {
  if (!input.cmid) return 'The request carries no client machine id (CMID).';
  if (input.applicationId.toLowerCase() !== product.applicationId.toLowerCase()) {
    return `Product ${product.name} belongs to application ${product.applicationId}, but the request names ${input.applicationId}.`;
  }
  if (input.productGroupId.toLowerCase() !== product.groupId.toLowerCase()) {
    return `Product ${product.name} belongs to product group ${product.groupId}, but the request names ${input.productGroupId}.`;
  }
  return null;
}
