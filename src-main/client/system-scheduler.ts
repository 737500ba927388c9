/**
 * The real-time Scheduler for `quorum client run`. Timers longer than Node's limit (about 24.8
 * days; intervals go up to 30 days) are re-armed in steps, and `at` re-checks the wall clock on
 * each step, so a suspended machine catches up when it wakes.
 */
import type { Scheduler, TimerHandle } from '../../shared/domain/clock.js';

const MAX_TIMEOUT_MS = 2_147_483_647;

export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  at(whenMs: number, run: () => void): TimerHandle {
    let timer: NodeJS.Timeout | undefined;
    let live = true;
    const arm = (): void => {
      const wait = Math.max(0, whenMs - Date.now());
      timer = setTimeout(
        () => {
          if (!live) return;
          if (Date.now() >= whenMs) {
            live = false;
            run();
          } else arm();
        },
        Math.min(wait, MAX_TIMEOUT_MS),
      );
    };
    arm();
    return {
      cancel: () => {
        live = false;
        if (timer) clearTimeout(timer);
      },
    };
  },
};
