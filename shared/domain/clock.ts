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
 * with `now()` equal to the timer's moment while it runs. Timers wait in a binary heap ordered by
 * (moment, creation), so a simulated fleet of tens of thousands of agents costs log n per timer.
 */
export class VirtualClock implements Scheduler {
  #now: number;
  #seq = 0;
  #heap: PendingTimer[] = [];
  #live = 0;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  at(whenMs: number, run: () => void): TimerHandle {
    const timer = { when: Math.max(whenMs, this.#now), seq: this.#seq++, run, live: true };
    this.#push(timer);
    this.#live++;
    return {
      cancel: () => {
        if (!timer.live) return;
        timer.live = false;
        this.#live--;
      },
    };
  }

  /** Moves time forward by `ms`, running due timers on the way. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  advanceTo(targetMs: number): void {
    while (this.runNext(targetMs));
    this.#now = Math.max(this.#now, targetMs);
  }

  /**
   * Runs the earliest live timer due at or before `targetMs` and returns true, or returns false
   * (time unchanged) when none is due. A caller that must let asynchronous work settle between
   * timers (the simulator awaiting each agent's attempt) steps with this instead of `advanceTo`.
   */
  runNext(targetMs: number): boolean {
    for (;;) {
      const top = this.#heap[0];
      if (!top || top.when > targetMs) return false;
      this.#pop();
      if (!top.live) continue;
      top.live = false;
      this.#live--;
      this.#now = Math.max(this.#now, top.when);
      top.run();
      return true;
    }
  }

  /** When the earliest live timer is due, or null when none waits. */
  get nextDueAt(): number | null {
    while (this.#heap[0] && !this.#heap[0].live) this.#pop();
    return this.#heap[0]?.when ?? null;
  }

  /** Number of timers still waiting to run. */
  get pending(): number {
    return this.#live;
  }

  #before(a: PendingTimer, b: PendingTimer): boolean {
    return a.when < b.when || (a.when === b.when && a.seq < b.seq);
  }

  #push(timer: PendingTimer): void {
    const heap = this.#heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && this.#before(heap[l]!, heap[best]!)) best = l;
      if (r < heap.length && this.#before(heap[r]!, heap[best]!)) best = r;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best]!, heap[i]!];
      i = best;
    }
  }
}
