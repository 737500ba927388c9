/**
 * Cumulative request counters as slmgr /dlv shows them: total, failed, and by the license state the
 * client reported; kept for all requests, per application and per product.
 */
import { isLicenseState, type RequestResult } from '../../shared/domain/index.js';
import type { CounterSnapshot, RequestCounters } from './types.js';

export function emptyCounters(): RequestCounters {
  return { total: 0, failed: 0, byLicenseState: {} };
}

export function emptyCounterSnapshot(): CounterSnapshot {
  return { all: emptyCounters(), byApplication: {}, byProduct: {} };
}

/**
 * A failed request is one the host refused to process (not activated, unknown product, admission,
 * rate limit, undecodable). A request answered with the count, granted or not, is a handled request:
 * a KMS host below its threshold shows every request under its license state and none as failed.
 */
export function isFailure(result: RequestResult): boolean {
  return result !== 'granted' && result !== 'count-insufficient';
}

export function copyCounters(c: RequestCounters): RequestCounters {
  return { total: c.total, failed: c.failed, byLicenseState: { ...c.byLicenseState } };
}

export function copyCounterSnapshot(s: CounterSnapshot): CounterSnapshot {
  const map = (r: Record<string, RequestCounters>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, copyCounters(v)]));
  return { all: copyCounters(s.all), byApplication: map(s.byApplication), byProduct: map(s.byProduct) };
}

export class RequestCounterSet {
  #s: CounterSnapshot = emptyCounterSnapshot();

  restore(snapshot: CounterSnapshot): void {
    this.#s = copyCounterSnapshot(sanitize(snapshot));
  }

  snapshot(): CounterSnapshot {
    return copyCounterSnapshot(this.#s);
  }

  /**
   * Counts one request. `applicationId` and `productId` must be known ones (the caller checks), so a
   * stream of made-up ids cannot grow the counters without bound.
   */
  count(
    at: { applicationId?: string | undefined; productId?: string | undefined; licenseState?: number | undefined },
    result: RequestResult,
  ): void {
    const targets = [this.#s.all];
    if (at.applicationId !== undefined) targets.push((this.#s.byApplication[at.applicationId] ??= emptyCounters()));
    if (at.productId !== undefined) targets.push((this.#s.byProduct[at.productId] ??= emptyCounters()));
    const failed = isFailure(result);
    const state = at.licenseState !== undefined && isLicenseState(at.licenseState) ? at.licenseState : undefined;
    for (const c of targets) {
      c.total++;
      if (failed) c.failed++;
      if (state !== undefined) c.byLicenseState[state] = (c.byLicenseState[state] ?? 0) + 1;
    }
  }
}

/** A snapshot from a damaged database keeps only non-negative whole numbers. */
function sanitize(s: CounterSnapshot): CounterSnapshot {
  const clean = (c: RequestCounters | undefined): RequestCounters => {
    const out = emptyCounters();
    if (!c) return out;
    out.total = wholeOrZero(c.total);
    out.failed = Math.min(wholeOrZero(c.failed), out.total);
    for (const [k, v] of Object.entries(c.byLicenseState ?? {})) {
      const state = Number(k);
      if (isLicenseState(state)) out.byLicenseState[state] = wholeOrZero(v);
    }
    return out;
  };
  const map = (r: Record<string, RequestCounters> | undefined) =>
    Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, clean(v)]));
  return { all: clean(s?.all), byApplication: map(s?.byApplication), byProduct: map(s?.byProduct) };
}

function wholeOrZero(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;
}
