/**
 * What `quorum status` prints: slmgr /dlv's checklist (service state, intervals, request counters by
 * license state) plus what /dlv lacks: each application's count against each threshold, and the
 * forecast of when a met threshold will be lost if nobody else renews. Pure: status in, text out.
 */
import { LICENSE_STATE_NAMES, type LicenseState, type ProductCatalog } from '../../shared/domain/index.js';
import { keyCovers } from '../../shared/keys/coverage.js';
import type { EngineStatus, RequestCounters } from './types.js';

export interface ThresholdReport {
  threshold: number;
  /** `coveredByKey`: the host key activates this product; false is never helped by more clients. */
  products: { id: string; name: string; displayName: string; coveredByKey: boolean }[];
  met: boolean;
  needed: number;
  safeUntil: number | null;
}

export interface ApplicationReport {
  applicationId: string;
  name: string;
  count: number;
  capacity: number;
  thresholds: ThresholdReport[];
  counters: RequestCounters;
}

export interface StatusReport {
  at: number;
  serving: boolean;
  notServingReason: string | null;
  /** What the activated host key covers, as "desktop, generations 1 to 3"; null when not known. */
  keyCovers: string | null;
  activationIntervalMin: number;
  renewalIntervalMin: number;
  validityMin: number;
  /** Facts the engine does not own (data directory, listening port), as label/value pairs. */
  host: { label: string; value: string }[];
  applications: ApplicationReport[];
  counters: RequestCounters;
  products: { id: string; name: string; counters: RequestCounters }[];
}

const NO_REQUESTS: RequestCounters = { total: 0, failed: 0, byLicenseState: {} };

export function buildStatusReport(
  status: EngineStatus,
  catalog: ProductCatalog,
  host: { label: string; value: string }[] = [],
): StatusReport {
  const coverage = status.serving.serving ? status.serving.coverage : undefined;
  const describe = (id: string) => {
    const p = catalog.byId(id);
    const coveredByKey = !coverage || (p !== undefined && keyCovers(coverage, p));
    return { id, name: p?.name ?? id, displayName: p?.displayName ?? id, coveredByKey };
  };
  return {
    at: status.at,
    serving: status.serving.serving,
    notServingReason: status.serving.serving ? null : status.serving.reason,
    keyCovers: coverage ? `${coverage.family}, generations 1 to ${coverage.maxGeneration}` : null,
    activationIntervalMin: status.activationIntervalMin,
    renewalIntervalMin: status.renewalIntervalMin,
    validityMin: status.validityMin,
    host,
    applications: status.applications.map((a) => ({
      applicationId: a.applicationId,
      name: a.name,
      count: a.count,
      capacity: a.capacity,
      thresholds: a.thresholds.map((t) => ({
        threshold: t.threshold,
        products: t.productIds.map(describe),
        met: t.met,
        needed: t.needed,
        safeUntil: t.safeUntil,
      })),
      counters: status.counters.byApplication[a.applicationId] ?? NO_REQUESTS,
    })),
    counters: status.counters.all,
    products: Object.entries(status.counters.byProduct).map(([id, counters]) => ({
      id,
      name: describe(id).name,
      counters,
    })),
  };
}

export function formatStatusReport(r: StatusReport): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`${`${label}:`.padEnd(28)}${value}`);

  lines.push(`Quorum host status at ${formatTime(r.at)}`, '');
  row('Service', r.serving ? 'activating clients' : `NOT activating clients. ${r.notServingReason ?? ''}`.trim());
  for (const h of r.host) row(h.label, h.value);
  row('Activation interval', `${r.activationIntervalMin} minutes (${formatMinutes(r.activationIntervalMin)})`);
  row('Renewal interval', `${r.renewalIntervalMin} minutes (${formatMinutes(r.renewalIntervalMin)})`);
  row('Validity', formatMinutes(r.validityMin));

  for (const a of r.applications) {
    lines.push('', `${a.name}: current count ${a.count} (cache holds up to ${a.capacity} CMIDs)`);
    for (const t of a.thresholds) {
      const names = t.products.map((p) => p.name).join(', ');
      const state = !t.products.some((p) => p.coveredByKey)
        ? `not served: the host key (${r.keyCovers ?? 'installed'}) does not cover these products`
        : t.met
          ? `met; safe until ${formatTime(t.safeUntil)} if no other client renews`
          : `NOT met: ${t.needed} more client${t.needed === 1 ? '' : 's'} needed`;
      lines.push(`  threshold ${String(t.threshold).padStart(3)} (${names}): ${state}`);
    }
  }

  lines.push('', 'Requests received (cumulative):');
  lines.push(...formatCounters(r.counters, '  '));
  for (const a of r.applications) {
    if (a.counters.total === 0) continue;
    lines.push(`  ${a.name}:`, ...formatCounters(a.counters, '    '));
  }
  for (const p of r.products) lines.push(`  product ${p.name}:`, ...formatCounters(p.counters, '    '));
  return lines.join('\n');
}

function formatCounters(c: RequestCounters, indent: string): string[] {
  const out = [`${indent}total ${c.total}, failed ${c.failed}`];
  const states = Object.keys(LICENSE_STATE_NAMES).map(Number) as LicenseState[];
  const parts = states
    .filter((s) => (c.byLicenseState[s] ?? 0) > 0)
    .map((s) => `${LICENSE_STATE_NAMES[s]} ${c.byLicenseState[s]}`);
  if (parts.length > 0) out.push(`${indent}by license state: ${parts.join(', ')}`);
  return out;
}

/** UTC, to the minute: the forecast is about days, and UTC reads the same on every host. */
export function formatTime(ms: number | null): string {
  if (ms === null) return 'never';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatMinutes(min: number): string {
  if (min % 1440 === 0) return `${min / 1440} day${min === 1440 ? '' : 's'}`;
  if (min % 60 === 0) return `${min / 60} hour${min === 60 ? '' : 's'}`;
  return `${min} minute${min === 1 ? '' : 's'}`;
}
