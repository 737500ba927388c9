/** Client and host timings from docs/model.md. All durations are in minutes unless the name says otherwise. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_ACTIVATION_INTERVAL_MIN = 120;
export const DEFAULT_RENEWAL_INTERVAL_MIN = 10_080;
/** Both intervals must lie within 15 minutes and 30 days. */
export const MIN_INTERVAL_MIN = 15;
export const MAX_INTERVAL_MIN = 43_200;

export const VALIDITY_MIN = 180 * 24 * 60;
export const INITIAL_GRACE_MIN = 30 * 24 * 60;
export const OUT_OF_TOLERANCE_GRACE_MIN = 30 * 24 * 60;
/** A CMID not renewed within this period no longer counts. */
export const CMID_LIFETIME_MS = 30 * DAY_MS;

export type IntervalName = 'activation' | 'renewal';

/** Returns a message a person can act on, or null when the value is acceptable. */
export function checkInterval(name: IntervalName, minutes: number): string | null {
  if (!Number.isInteger(minutes) || minutes < MIN_INTERVAL_MIN || minutes > MAX_INTERVAL_MIN) {
    return `The ${name} interval must be a whole number of minutes from ${MIN_INTERVAL_MIN} (15 minutes) to ${MAX_INTERVAL_MIN} (30 days); got ${String(minutes)}.`;
  }
  return null;
}
