/** Builds the console's host status view from the engine, the listener and the identity. */
import type { HostStatusView } from '../../shared/ipc/views.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { keyCovers } from '../../shared/keys/index.js';
import { describeAddresses } from '../rpc/listener.js';
import { buildHostKeyView } from './host-key-view.js';
import { healthOf } from './health.js';

/** `storeProblem`: why the database failed its last write (the watch service checks), or null. */
export function buildStatusView(host: HostRuntime, storeProblem: string | null = null): HostStatusView {
  const status = host.engine.status();
  const gate = host.gate();
  const productName = (id: string) => host.catalog.byId(id)?.displayName ?? id;
  const coverage = gate.serving ? gate.coverage : undefined;
  // Without a known coverage (not serving), "not covered" cannot be told apart from "not yet".
  const notCovered = (id: string) => {
    const p = host.catalog.byId(id);
    return coverage !== undefined && (p === undefined || !keyCovers(coverage, p));
  };
  // Not only the key: a store that cannot record activations does not serve either.
  const notReady = host.notReady();
  const storeIssue = storeProblem ?? (gate.serving ? notReady : null);
  const listening = describeAddresses(host.addresses());
  const hostKey = buildHostKeyView(host.store.db);
  return {
    serving: notReady === null && storeIssue === null,
    notServingReason: notReady ?? storeIssue,
    hostId: host.identity.hostId,
    fingerprint: host.identity.fingerprint,
    listening,
    activationIntervalMin: status.activationIntervalMin,
    renewalIntervalMin: status.renewalIntervalMin,
    applications: status.applications.map((app) => ({
      applicationId: app.applicationId,
      name: app.name,
      count: app.count,
      capacity: app.capacity,
      thresholds: app.thresholds.map((t) => ({
        threshold: t.threshold,
        products: t.productIds.map(productName),
        met: t.met,
        needed: t.needed,
        safeUntil: t.safeUntil,
        uncovered: t.productIds.filter(notCovered).map(productName),
      })),
    })),
    counters: {
      total: status.counters.all.total,
      failed: status.counters.all.failed,
      byLicenseState: Object.fromEntries(
        Object.entries(status.counters.all.byLicenseState).map(([k, v]) => [String(k), v]),
      ),
    },
    startedAt: host.startedAt,
    hostKey,
    warnings: host.warnings(),
    health: healthOf({ serving: gate.serving, hostKey, listening, storeProblem: storeIssue }),
  };
}
