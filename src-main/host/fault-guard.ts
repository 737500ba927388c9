/**
 * The one place where an exception that escaped a listener ends up: the console's HTTP and upgrade
 * handlers, a WebSocket session's messages, the host's timers, and (for `quorum serve`) the
 * process's own uncaughtException and unhandledRejection. Each fault is logged once with where it
 * happened and counted; the listener's caller carries on. Anyone who can reach a port can reach
 * these listeners, so a bug in one request's path must cost that request, never the host.
 */

export interface FaultRecord {
  at: number;
  where: string;
  message: string;
}

export interface FaultStats {
  count: number;
  last: FaultRecord | null;
}

/** Faults logged with their stack per minute at most; the rest are counted, and summarised once a minute. */
const STACKS_PER_MINUTE = 10;

export class FaultGuard {
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  #count = 0;
  #last: FaultRecord | null = null;
  #windowStart = 0;
  #inWindow = 0;
  #quiet = 0;

  constructor(log: (line: string) => void, now: () => number = Date.now) {
    this.#log = log;
    this.#now = now;
  }

  get stats(): FaultStats {
    return { count: this.#count, last: this.#last };
  }

  /** Records a fault caught at `where`. Never throws: it is called from the last line of defence. */
  report(where: string, e: unknown): void {
    try {
      const at = this.#now();
      const message = e instanceof Error ? e.message : String(e);
      this.#count++;
      this.#last = { at, where, message };
      if (at - this.#windowStart >= 60_000) {
        if (this.#quiet > 0) this.#log(`fault: ${this.#quiet} more faults were counted without their stack`);
        this.#windowStart = at;
        this.#inWindow = 0;
        this.#quiet = 0;
      }
      if (++this.#inWindow > STACKS_PER_MINUTE) {
        this.#quiet++;
        return;
      }
      const stack = e instanceof Error && e.stack ? e.stack.split('\n').slice(1, 6).join(' | ').trim() : '';
      this.#log(
        `fault in ${where} (${this.#count} so far; the host keeps serving): ${message.slice(0, 500)}${stack ? ` [${stack}]` : ''}`,
      );
    } catch {
      // A failing log must not turn a caught fault into an uncaught one.
    }
  }

  /**
   * `f` as a listener that never throws and never leaves a rejected promise: what it throws, or
   * the promise it returns rejects with, is reported under `where` and then given to `after` (e.g.
   * to answer the request it was serving).
   */
  wrap<A extends unknown[]>(
    where: string,
    f: (...args: A) => unknown,
    after?: (e: unknown, ...args: A) => void,
  ): (...args: A) => void {
    return (...args: A) => {
      const failed = (e: unknown) => {
        this.report(where, e);
        if (!after) return;
        try {
          after(e, ...args);
        } catch (e2) {
          this.report(`${where} (its fault handler)`, e2);
        }
      };
      try {
        const result = f(...args);
        if (result instanceof Promise) result.catch(failed);
      } catch (e) {
        failed(e);
      }
    };
  }
}

/**
 * The process-level policy of a running host (`quorum serve`), installed once it serves and
 * removed after it stopped: an uncaught exception or unhandled rejection is logged and counted,
 * and the process keeps serving. That is safe here because no state a fault could leave half-done
 * outlives one request: each commit is one SQLite transaction (a throw rolls it back), and the
 * engine's table changes only through the store's commits. Exiting instead would hand anyone who
 * finds such a fault a way to stop activation (under Restart=on-failure, again and again). Faults
 * during start-up and shutdown are not caught here: they end the command with its error.
 */
export function keepServingOnUncaught(guard: FaultGuard): () => void {
  const onException = (e: unknown) => guard.report('the process (uncaught exception)', e);
  const onRejection = (e: unknown) => guard.report('the process (unhandled promise rejection)', e);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
