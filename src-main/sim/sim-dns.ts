/**
 * The rehearsal's DNS: the SRV records the hosts publish under `_quorum._tcp.<domain>`, with their
 * priority and weight. A host whose outage withdraws its record stays in answers for the record's
 * TTL (resolvers' caches), then disappears until it is back. Clients read it through the same
 * SrvLookup seam as the system resolver, and order targets with the real RFC 2782 selection.
 */
import type { Clock } from '../../shared/domain/clock.js';
import type { SrvLookup } from '../dns/srv-lookup.js';
import type { SrvTarget } from '../dns/srv-select.js';

export interface PublishedRecord extends SrvTarget {
  /** When the record was withdrawn, or null while it is published. */
  withdrawnAt: number | null;
}

export class SimDns implements SrvLookup {
  readonly serverLabel = 'the rehearsal DNS';
  readonly #records = new Map<string, PublishedRecord>();
  readonly #queryName: string;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #queries = 0;

  constructor(options: { queryName: string; clock: Clock; ttlSeconds: number }) {
    this.#queryName = options.queryName.toLowerCase();
    this.#clock = options.clock;
    this.#ttlMs = options.ttlSeconds * 1000;
  }

  publish(target: SrvTarget): void {
    this.#records.set(target.name, { ...target, withdrawnAt: null });
  }

  withdraw(name: string): void {
    const r = this.#records.get(name);
    if (r && r.withdrawnAt === null) r.withdrawnAt = this.#clock.now();
  }

  get queries(): number {
    return this.#queries;
  }

  async srv(queryName: string): Promise<SrvTarget[]> {
    this.#queries++;
    if (queryName.toLowerCase() !== this.#queryName) return [];
    const now = this.#clock.now();
    const out: SrvTarget[] = [];
    for (const r of this.#records.values()) {
      if (r.withdrawnAt === null || now < r.withdrawnAt + this.#ttlMs) {
        out.push({ name: r.name, port: r.port, priority: r.priority, weight: r.weight });
      }
    }
    return out;
  }

  /** Host names are their own addresses here: the transport routes by name. */
  async addresses(name: string): Promise<string[]> {
    return this.#records.has(name) ? [name] : [];
  }
}
