import { LICENSE_STATE_NAMES, type LicenseState } from '../../../shared/domain/license-state.js';
import type { RequestResult } from '../../../shared/domain/records.js';

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatAgo(ms: number, now: number = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function formatMinutes(min: number): string {
  if (min % 1440 === 0) return `${min / 1440} day${min === 1440 ? '' : 's'}`;
  if (min % 60 === 0) return `${min / 60} hour${min === 60 ? '' : 's'}`;
  return `${min} minutes`;
}

export function licenseStateName(state: number): string {
  return LICENSE_STATE_NAMES[state as LicenseState] ?? `state ${state}`;
}

/** A count with thousands separators, the same in every locale (tests and screenshots compare it). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

const RESULT_WORDS: Record<RequestResult, string> = {
  granted: 'activated',
  'count-insufficient': 'waiting for the count',
  'host-not-activated': 'refused: host not activated',
  'unknown-product': 'refused: unknown product',
  'product-not-covered': 'refused: not covered by the key',
  'admission-refused': 'refused: not admitted',
  'rate-limited': 'refused: too many requests',
  'invalid-request': 'refused: invalid request',
};

/** The host's answer in words; the code (as in the log and the CLI) goes in the element's title. */
export function resultWords(result: RequestResult): string {
  return RESULT_WORDS[result] ?? result;
}
