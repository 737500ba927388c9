/**
 * The client's license state machine (docs/model.md, "Client timings"), as pure functions of a
 * record and a moment: unlicensed -> initial grace (30 days) -> licensed (validity 180 days from
 * the last successful contact) -> out-of-tolerance grace (30 days) -> notification.
 * Scheduling: retry every activation interval until licensed, renew every renewal interval, and
 * after a failed renewal retry every activation interval. The host's intervals replace the
 * defaults from its first reply on.
 */
import {
  LicenseState,
  MINUTE_MS,
  DEFAULT_ACTIVATION_INTERVAL_MIN,
  DEFAULT_RENEWAL_INTERVAL_MIN,
  INITIAL_GRACE_MIN,
  OUT_OF_TOLERANCE_GRACE_MIN,
  MIN_INTERVAL_MIN,
  MAX_INTERVAL_MIN,
  VALIDITY_MIN,
} from '../../shared/domain/index.js';

/** What the client remembers about one product's license. Times are ms since the epoch. */
export interface LicenseRecord {
  productId: string;
  /** When the initial grace began (the first activation attempt for this product). */
  graceStartedAt: number;
  /** End of the current validity; null until first activated. */
  validUntil: number | null;
  lastActivatedAt: number | null;
  activationIntervalMin: number;
  renewalIntervalMin: number;
  /** True once a host's reply has set the intervals. */
  intervalsFromHost: boolean;
  lastAttempt: AttemptSummary | null;
  nextAttemptAt: number;
}

export interface AttemptSummary {
  at: number;
  activated: boolean;
  /** Error code when not activated. */
  code?: string;
  message?: string;
  /** "host:port" that answered, if one did. */
  host?: string;
  /** hostId and key fingerprint of the host that answered (verified), so `client status` can show them. */
  hostId?: string;
  fingerprint?: string;
  count?: number;
  threshold?: number;
}

/** What a host said that matters to the schedule (from a verified response). */
export interface HostReply {
  granted: boolean;
  activationIntervalMin: number;
  renewalIntervalMin: number;
  validityMin: number;
}

export function newLicenseRecord(productId: string, now: number): LicenseRecord {
  return {
    productId,
    graceStartedAt: now,
    validUntil: null,
    lastActivatedAt: null,
    activationIntervalMin: DEFAULT_ACTIVATION_INTERVAL_MIN,
    renewalIntervalMin: DEFAULT_RENEWAL_INTERVAL_MIN,
    intervalsFromHost: false,
    lastAttempt: null,
    nextAttemptAt: now,
  };
}

/** The license state at `now`. */
export function licenseStateAt(record: LicenseRecord | undefined, now: number): LicenseState {
  if (!record) return LicenseState.Unlicensed;
  if (record.validUntil !== null) {
    if (now < record.validUntil) return LicenseState.Licensed;
    if (now < record.validUntil + OUT_OF_TOLERANCE_GRACE_MIN * MINUTE_MS) return LicenseState.OutOfToleranceGrace;
    return LicenseState.Notification;
  }
  if (now < record.graceStartedAt + INITIAL_GRACE_MIN * MINUTE_MS) return LicenseState.InitialGrace;
  return LicenseState.Notification;
}

/** When the current state ends (validity or grace), or null in notification/unlicensed. */
export function currentPeriodEnd(record: LicenseRecord | undefined, now: number): number | null {
  if (!record) return null;
  switch (licenseStateAt(record, now)) {
    case LicenseState.Licensed:
      return record.validUntil;
    case LicenseState.OutOfToleranceGrace:
      return record.validUntil! + OUT_OF_TOLERANCE_GRACE_MIN * MINUTE_MS;
    case LicenseState.InitialGrace:
      return record.graceStartedAt + INITIAL_GRACE_MIN * MINUTE_MS;
    default:
      return null;
  }
}

/** Whole minutes left of the current validity or grace (sent in each request). */
export function remainingMinutesAt(record: LicenseRecord | undefined, now: number): number {
  const end = currentPeriodEnd(record, now);
  return end === null ? 0 : Math.max(0, Math.floor((end - now) / MINUTE_MS));
}

function clampInterval(minutes: number, fallback: number): number {
  if (!Number.isFinite(minutes)) return fallback;
  return Math.min(MAX_INTERVAL_MIN, Math.max(MIN_INTERVAL_MIN, Math.round(minutes)));
}

/**
 * The record after an attempt at `now`. `reply` is the verified host reply when a host answered
 * with its intervals (granted or not); null when no host answered or the answer was refused.
 */
export function afterAttempt(
  record: LicenseRecord,
  now: number,
  summary: AttemptSummary,
  reply: HostReply | null,
): LicenseRecord {
  const next: LicenseRecord = { ...record, lastAttempt: summary };
  if (reply) {
    next.activationIntervalMin = clampInterval(reply.activationIntervalMin, next.activationIntervalMin);
    next.renewalIntervalMin = clampInterval(reply.renewalIntervalMin, next.renewalIntervalMin);
    next.intervalsFromHost = true;
  }
  if (reply?.granted) {
    const validity = reply.validityMin > 0 ? reply.validityMin : VALIDITY_MIN;
    next.validUntil = now + validity * MINUTE_MS;
    next.lastActivatedAt = now;
    next.nextAttemptAt = now + next.renewalIntervalMin * MINUTE_MS;
  } else {
    next.nextAttemptAt = now + next.activationIntervalMin * MINUTE_MS;
  }
  return next;
}
