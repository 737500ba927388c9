/**
 * The inventory-growth guard: how many machines the host has never seen (new CMIDs) one address
 * may bring per hour. Renewals of known machines are never limited; a new machine over the
 * address's allowance is refused (QAP status RateLimited, counted as a failed request) and is not
 * added to the inventory, so one address cannot grow the database without bound.
 */
import type { Clock } from '../../shared/domain/clock.js';
import { RateLimiter } from '../rpc/rate-limiter.js';

export const NEW_CLIENTS_SETTING = 'admission.newClientsPerAddressPerHour';
export const DEFAULT_NEW_CLIENTS_PER_ADDRESS_PER_HOUR = 1_000;
export const NEW_CLIENTS_BOUNDS = { min: 0, max: 1_000_000 } as const;

const HOUR_MS = 3_600_000;
/**
 * New machines admitted lately, remembered by CMID: the inventory row of an admitted machine is
 * written when the journal is applied (milliseconds later, more under load), and a renewal in
 * between must not be taken for another new machine. Bounded: the oldest are forgotten first.
 */
const RECENT_ADMITTED = 10_000;

export interface NewClientGuard {
  /** False when `cmid` is new and `address` has brought its allowance of new machines this hour. */
  admit(address: string, cmid: string): boolean;
  /** Changes the allowance (0 turns the guard off); what each address has used so far is kept. */
  setLimit(perHour: number): void;
  readonly limit: number;
}

export function createNewClientGuard(options: {
  perHour: number;
  clock: Clock;
  /** Whether the inventory already holds this CMID. */
  isKnown: (cmid: string) => boolean;
}): NewClientGuard {
  let limit = options.perHour;
  const limiterFor = (n: number) => new RateLimiter({ limit: n, windowMs: HOUR_MS, now: () => options.clock.now() });
  let limiter = limiterFor(limit);
  const recent = new Set<string>();
  const remember = (cmid: string) => {
    recent.add(cmid);
    if (recent.size > RECENT_ADMITTED) recent.delete(recent.values().next().value!);
  };
  return {
    get limit() {
      return limit;
    },
    admit(address, cmid) {
      if (limit <= 0 || recent.has(cmid) || options.isKnown(cmid)) return true;
      if (!limiter.take(address)) return false;
      remember(cmid);
      return true;
    },
    setLimit(perHour) {
      if (perHour === limit) return;
      limit = perHour;
      limiter = limiterFor(perHour);
    },
  };
}
