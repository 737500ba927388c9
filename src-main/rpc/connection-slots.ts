/**
 * The listener's connection slots: the global cap and the per-address cap, and which connection
 * gives up its slot to a newcomer. No address can take every slot, and a connection that holds a
 * slot without making progress (a byte, then silence) is the first to go.
 */
import type { RpcLimits } from './limits.js';

export interface SlotHolder {
  readonly address: string;
  /** When a bind was last accepted or a call last answered on it (its accept time before that). */
  readonly lastProgress: number;
  readonly conn: { readonly idle: boolean; readonly midMessage: boolean };
}

export type SlotLimits = Pick<RpcLimits, 'maxConnections' | 'maxConnectionsPerAddress' | 'stalledAfterMs'>;

/** What a newcomer gets: a free slot, the slot of a connection to close first, or none. */
export type Room<T> = { kind: 'free' } | { kind: 'evict'; victim: T; cap: 'address' | 'global' } | { kind: 'full' };

export class ConnectionSlots<T extends SlotHolder> {
  readonly #limits: SlotLimits;
  readonly #all = new Set<T>();
  readonly #perAddress = new Map<string, number>();

  constructor(limits: SlotLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#all.size;
  }

  countOf(address: string): number {
    return this.#perAddress.get(address) ?? 0;
  }

  values(): IterableIterator<T> {
    return this.#all.values();
  }

  add(holder: T): void {
    if (this.#all.has(holder)) return;
    this.#all.add(holder);
    this.#perAddress.set(holder.address, this.countOf(holder.address) + 1);
  }

  delete(holder: T): boolean {
    if (!this.#all.delete(holder)) return false;
    const n = this.countOf(holder.address) - 1;
    if (n > 0) this.#perAddress.set(holder.address, n);
    else this.#perAddress.delete(holder.address);
    return true;
  }

  /**
   * At the address's cap, only that address's own connections can make room. At the global cap,
   * the oldest evictable connection of any address does; if none is evictable, the address with
   * the most connections gives up its oldest connection that runs no call, provided the newcomer's
   * address holds fewer: a newcomer is refused only when its own address is among the heaviest.
   */
  roomFor(address: string, now: number): Room<T> {
    const { maxConnections, maxConnectionsPerAddress } = this.#limits;
    const own = this.countOf(address);
    if (maxConnectionsPerAddress > 0 && own >= maxConnectionsPerAddress) {
      return this.#evict(
        this.#oldest((h) => h.address === address && this.#evictable(h, now)),
        'address',
      );
    }
    if (this.#all.size < maxConnections) return { kind: 'free' };
    const stalled = this.#oldest((h) => this.#evictable(h, now));
    if (stalled) return { kind: 'evict', victim: stalled, cap: 'global' };
    let heaviest: string | null = null;
    let most = 0;
    for (const [a, n] of this.#perAddress) {
      if (n > most) {
        heaviest = a;
        most = n;
      }
    }
    if (heaviest === null || most <= own + 1) return { kind: 'full' };
    return this.#evict(
      this.#oldest((h) => h.address === heaviest && !this.#busy(h)),
      'global',
    );
  }

  #evict(victim: T | null, cap: 'address' | 'global'): Room<T> {
    return victim ? { kind: 'evict', victim, cap } : { kind: 'full' };
  }

  /** Running a call: its slot is never taken (the host is working for it). */
  #busy(h: T): boolean {
    return !h.conn.idle && !h.conn.midMessage;
  }

  #evictable(h: T, now: number): boolean {
    return h.conn.idle || (h.conn.midMessage && now - h.lastProgress >= this.#limits.stalledAfterMs);
  }

  /** The holder with the oldest progress among those `ok` accepts (ties: the earliest accepted). */
  #oldest(ok: (h: T) => boolean): T | null {
    let best: T | null = null;
    for (const h of this.#all) if (ok(h) && (best === null || h.lastProgress < best.lastProgress)) best = h;
    return best;
  }
}
