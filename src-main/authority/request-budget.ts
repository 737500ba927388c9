/**
 * Fixed-window request budgets for the networked authority: so many requests per minute per
 * address and per key. The table of windows is bounded, so a flood of distinct addresses cannot
 * grow memory without end: past the bound, windows that have ended are dropped first, then all.
 */
import type { Clock } from '../../shared/domain/clock.js';

const MAX_TRACKED = 50_000;

export class RequestBudget {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    /** Requests allowed per window and name; 0 means no limit. */
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts one request of `name`; returns the milliseconds to wait when over budget, else 0. */
  take(name: string): number {
    if (this.limit <= 0) return 0;
    const now = this.clock.now();
    let w = this.#windows.get(name);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.#windows.size >= MAX_TRACKED) this.#prune(now);
      w = { start: now, count: 0 };
      this.#windows.set(name, w);
    }
    w.count += 1;
    return w.count > this.limit ? w.start + this.windowMs - now : 0;
  }

  #prune(now: number): void {
    for (const [name, w] of this.#windows) if (now - w.start >= this.windowMs) this.#windows.delete(name);
    if (this.#windows.size >= MAX_TRACKED) this.#windows.clear();
  }
}
