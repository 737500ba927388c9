/**
 * One application's CMID table (docs/model.md, "Thresholds and the count"): a Map for lookup plus
 * a doubly linked list in recency order, so recording, renewing, evicting the least recently seen
 * and expiring from the oldest end are all O(1) per CMID.
 */
import { CMID_LIFETIME_MS } from '../../shared/domain/timings.js';
import type { CmidEntry } from './types.js';

interface Node {
  cmid: string;
  lastSeen: number;
  machineName: string;
  address: string;
  productId: string;
  /** When a clone warning was last raised for this CMID (0: never); throttles repeats. */
  cloneReportedAt: number;
  /** Toward the oldest end. */
  older: Node | null;
  /** Toward the newest end. */
  newer: Node | null;
}

/** What a known CMID looked like before it was recorded again (for clone detection). */
export interface PreviousSighting {
  lastSeen: number;
  machineName: string;
  address: string;
  cloneReportedAt: number;
}

export class CmidTable {
  readonly applicationId: string;
  readonly #byCmid = new Map<string, Node>();
  #oldest: Node | null = null;
  #newest: Node | null = null;
  #capacity: number;

  constructor(applicationId: string, capacity: number) {
    this.applicationId = applicationId;
    this.#capacity = capacity;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Entries held, including any past 30 days that no sweep has removed yet. */
  get size(): number {
    return this.#byCmid.size;
  }

  /** Time of the most recent record; recording never goes below it (see `record`). */
  get newestSeen(): number {
    return this.#newest?.lastSeen ?? Number.NEGATIVE_INFINITY;
  }

  /** Raises the capacity; it never shrinks. Returns true when it grew. */
  growTo(capacity: number): boolean {
    if (capacity <= this.#capacity) return false;
    this.#capacity = capacity;
    return true;
  }

  has(cmid: string): boolean {
    return this.#byCmid.has(cmid);
  }

  /** Whether the CMID is held and still counts at `now`. */
  counts(cmid: string, now: number): boolean {
    const node = this.#byCmid.get(cmid);
    return node !== undefined && isLive(node.lastSeen, now);
  }

  /**
   * Records a request: a known CMID's record is replaced (its 30-day period starts again) and moves
   * to the newest end. The recorded time never goes below the newest already held, so list order
   * stays time order even if the host clock is stepped back; the error is bounded by the step.
   */
  record(entry: Omit<CmidEntry, 'applicationId'>): { entry: CmidEntry; previous: PreviousSighting | null } {
    const lastSeen = Math.max(entry.lastSeen, this.newestSeen);
    let node = this.#byCmid.get(entry.cmid);
    let previous: PreviousSighting | null = null;
    if (node) {
      previous = {
        lastSeen: node.lastSeen,
        machineName: node.machineName,
        address: node.address,
        cloneReportedAt: node.cloneReportedAt,
      };
      this.#unlink(node);
      node.lastSeen = lastSeen;
      node.machineName = entry.machineName;
      node.address = entry.address;
      node.productId = entry.productId;
    } else {
      // Built field by field so every node shares one hidden class.
      node = {
        cmid: entry.cmid,
        lastSeen,
        machineName: entry.machineName,
        address: entry.address,
        productId: entry.productId,
        cloneReportedAt: 0,
        older: null,
        newer: null,
      };
      this.#byCmid.set(entry.cmid, node);
    }
    this.#append(node);
    return { entry: toEntry(this.applicationId, node), previous };
  }

  markCloneReported(cmid: string, at: number): void {
    const node = this.#byCmid.get(cmid);
    if (node) node.cloneReportedAt = at;
  }

  remove(cmid: string): boolean {
    const node = this.#byCmid.get(cmid);
    if (!node) return false;
    this.#unlink(node);
    this.#byCmid.delete(cmid);
    return true;
  }

  /** Evicts least recently seen CMIDs until the table fits its capacity. Returns the evicted CMIDs. */
  evictOverflow(): string[] {
    const evicted: string[] = [];
    while (this.#byCmid.size > this.#capacity && this.#oldest) {
      evicted.push(this.#oldest.cmid);
      this.remove(this.#oldest.cmid);
    }
    return evicted;
  }

  /** Removes every CMID not renewed within 30 days of `now`, walking from the oldest end. */
  expire(now: number): string[] {
    const expired: string[] = [];
    while (this.#oldest && !isLive(this.#oldest.lastSeen, now)) {
      expired.push(this.#oldest.cmid);
      this.remove(this.#oldest.cmid);
    }
    return expired;
  }

  /** Distinct CMIDs seen in the 30 days before `now`, without removing the expired ones. */
  countAt(now: number): number {
    let expired = 0;
    for (let n = this.#oldest; n && !isLive(n.lastSeen, now); n = n.newer) expired++;
    return this.#byCmid.size - expired;
  }

  /**
   * The moment the count falls below `threshold` if nobody else renews: when the threshold-th most
   * recent CMID expires. Null when the count is already below it. O(threshold).
   */
  safeUntil(threshold: number, now: number): number | null {
    if (threshold <= 0) return null;
    let n = this.#newest;
    for (let i = 1; i < threshold && n; i++) n = n.older;
    if (!n || !isLive(n.lastSeen, now)) return null;
    return n.lastSeen + CMID_LIFETIME_MS;
  }

  /** Entries from oldest to newest. */
  *entries(): IterableIterator<CmidEntry> {
    for (let n = this.#oldest; n; n = n.newer) yield toEntry(this.applicationId, n);
  }

  #append(node: Node): void {
    node.older = this.#newest;
    node.newer = null;
    if (this.#newest) this.#newest.newer = node;
    else this.#oldest = node;
    this.#newest = node;
  }

  #unlink(node: Node): void {
    if (node.older) node.older.newer = node.newer;
    else this.#oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.#newest = node.older;
    node.older = null;
    node.newer = null;
  }
}

/** A CMID counts while less than 30 days have passed since it was last seen. */
export function isLive(lastSeen: number, now: number): boolean {
  return now - lastSeen < CMID_LIFETIME_MS;
}

function toEntry(applicationId: string, n: Node): CmidEntry {
  return {
    applicationId,
    cmid: n.cmid,
    lastSeen: n.lastSeen,
    machineName: n.machineName,
    address: n.address,
    productId: n.productId,
  };
}
