/**
 * Type-ahead for a view that asks the host as a person types: the request is sent once typing
 * pauses, and an answer that arrives after a newer one has been shown is dropped, so a slow
 * window for "pc" never replaces the one for "pc-42".
 */

/** How long typing must pause before the text is asked for. */
export const TYPE_AHEAD_MS = 200;

/** Runs `fn` with the latest value once calls stop for `ms`; `flush` runs it at once. */
export function debounced<T>(fn: (value: T) => void, ms = TYPE_AHEAD_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: { value: T } | undefined;
  const cancel = () => {
    clearTimeout(timer);
    pending = undefined;
  };
  const run = () => {
    clearTimeout(timer);
    timer = undefined;
    const p = pending;
    pending = undefined;
    if (p) fn(p.value);
  };
  return {
    call(value: T): void {
      pending = { value };
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    flush: run,
    cancel,
    /** The value waiting to be run, if any, taken instead (another change carries it now). */
    take(): T | undefined {
      const p = pending;
      cancel();
      return p?.value;
    },
  };
}

/**
 * Numbers requests in the order they are sent; `take(n)` says whether request n's answer may be
 * shown: not when a later request's answer already has been.
 */
export function answerOrder() {
  let issued = 0;
  let shown = 0;
  return {
    next: (): number => ++issued,
    take(n: number): boolean {
      if (n < shown) return false;
      shown = n;
      return true;
    },
  };
}
