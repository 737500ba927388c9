/**
 * Per-address token buckets: `limit` events per `windowMs` (one second unless given) with a burst
 * of the same size. The table is bounded: when full, buckets that have refilled completely carry no
 * information and are dropped first, so a flood of spoofed-looking addresses cannot grow memory
 * without limit.
 */
export interface RateLimiterOptions {
  /** Events per window; 0 or less turns the limit off. */
  limit: number;
  /** The window the limit is counted over; 1,000 ms unless given. */
  windowMs?: number;
  now: () => number;
  maxAddresses?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #max: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 1_000;
    this.#now = options.now;
    this.#max = options.maxAddresses ?? 65_536;
  }

  /** Takes one token for `address`; false when the address is over its rate. */
  take(address: string): boolean {
    if (this.#limit <= 0) return true;
    const now = this.#now();
    let b = this.#buckets.get(address);
    if (!b) {
      if (this.#buckets.size >= this.#max) this.#prune(now);
      b = { tokens: this.#limit, at: now };
      this.#buckets.set(address, b);
    } else {
      b.tokens = Math.min(this.#limit, b.tokens + ((now - b.at) / this.#windowMs) * this.#limit);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.#buckets.size;
  }

  #prune(now: number): void {
    for (const [addr, b] of this.#buckets) if (now - b.at >= this.#windowMs) this.#buckets.delete(addr);
    // Still full: every address is active. Drop the oldest half (Map keeps insertion order).
    if (this.#buckets.size >= this.#max) {
      let drop = Math.ceil(this.#buckets.size / 2);
      for (const addr of this.#buckets.keys()) {
        if (drop-- <= 0) break;
        this.#buckets.delete(addr);
      }
    }
  }
}
