/**
 * Time as the engine, the client agent and the simulator see it. Injected everywhere so that
 * every time-based rule runs on a virtual clock in tests and in the simulator.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A cancellable timer handle returned by a Scheduler. */
export interface TimerHandle {
  cancel(): void;
}

/** A Clock that can also run a callback at a moment (the client agent's retry and renewal loop). */
export interface Scheduler extends Clock {
  at(whenMs: number, run: () => void): TimerHandle;
}

interface PendingTimer {
  when: number;
  seq: number;
  run: () => void;
  live: boolean;
}

/**
 * A clock that moves only when told to. `advance` runs every timer that falls due, in order,
 * with `now()` equal to the timer's moment while it runs.
 */
export class VirtualClock implements Scheduler {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  at(whenMs: number, run: () => void): TimerHandle {
    const timer = { when: Math.max(whenMs, this.#now), seq: this.#seq++, run, live: true };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.live = false;
      },
    };
  }

  /** Moves time forward by `ms`, running due timers on the way. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  advanceTo(targetMs: number): void {
    for (;;) {
      const next = this.#nextDue(targetMs);
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = next.when;
      if (next.live) next.run();
    }
    this.#now = Math.max(this.#now, targetMs);
  }

  /** Number of timers still waiting to run. */
  get pending(): number {
    return this.#timers.filter((t) => t.live).length;
  }

  #nextDue(targetMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers) {
      if (t.when > targetMs) continue;
      if (!best || t.when < best.when || (t.when === best.when && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
