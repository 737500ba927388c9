/**
 * A flood of bad connections must not become a flood of log lines: at most `lines` lines per
 * window pass; the rest are counted, and one line at the end of the window says how many were
 * left out. A quiet listener keeps no timer.
 */
export interface LogThrottleOptions {
  lines: number;
  windowMs: number;
  /** Called with the number of lines left out, each time some are. */
  onSuppressed?: (n: number) => void;
}

export const DEFAULT_LOG_THROTTLE: Readonly<LogThrottleOptions> = { lines: 20, windowMs: 10_000 };

export function throttleLog(
  log: (line: string) => void,
  options: LogThrottleOptions = DEFAULT_LOG_THROTTLE,
): (line: string) => void {
  let passed = 0;
  let suppressed = 0;
  let timer: NodeJS.Timeout | null = null;

  const endWindow = (): void => {
    timer = null;
    if (suppressed > 0) {
      log(`rpc: ${suppressed} similar messages suppressed in the last ${options.windowMs / 1000} s`);
    }
    passed = 0;
    suppressed = 0;
  };

  return (line) => {
    if (timer === null) {
      timer = setTimeout(endWindow, options.windowMs);
      timer.unref();
    }
    if (passed < options.lines) {
      passed++;
      log(line);
      return;
    }
    suppressed++;
    options.onSuppressed?.(1);
  };
}
