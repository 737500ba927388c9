/**
 * Turns the engine's events into triggers for the console's event log (and through it the tray's
 * notifications). Products are named by what the host key covers: a crossing that activates none
 * of them raises nothing.
 */
import { APPLICATIONS } from '../../shared/domain/products.js';
import { coverageText, keyCovers } from '../../shared/keys/index.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { cloneTrigger, notCoveredTrigger, thresholdTriggers, type Trigger } from './event-triggers.js';

/** A product the key does not cover touches the log at most this often (clients retry every 2 hours, fleets at once). */
const NOT_COVERED_TOUCH_MS = 60_000;

export function hostTriggersFrom(host: HostRuntime, apply: (triggers: Trigger[], at: number) => void): () => void {
  const appName = (id: string) => APPLICATIONS.find((a) => a.id === id.toLowerCase())?.name ?? 'application';
  const display = (id: string) => host.catalog.byId(id)?.displayName ?? id;
  const covered = (id: string) => {
    const gate = host.gate();
    const p = host.catalog.byId(id);
    if (!gate.serving || p === undefined) return false;
    return gate.coverage === undefined || keyCovers(gate.coverage, p);
  };
  const lastNotCovered = new Map<string, number>();
  const offs = [
    host.engine.on('threshold-crossed', (e) =>
      apply(
        thresholdTriggers({
          applicationId: e.applicationId,
          applicationName: appName(e.applicationId),
          threshold: e.threshold,
          count: e.count,
          direction: e.direction,
          at: e.at,
          coveredProducts: e.productIds.filter(covered).map(display),
        }),
        e.at,
      ),
    ),
    host.engine.on('clone-suspected', (e) =>
      apply([cloneTrigger({ ...e, applicationName: appName(e.applicationId) })], e.at),
    ),
    host.engine.on('request-handled', ({ input, decision }) => {
      if (decision.result !== 'product-not-covered') return;
      const gate = host.gate();
      const last = lastNotCovered.get(input.productId) ?? -Infinity;
      if (decision.hostTime - last < NOT_COVERED_TOUCH_MS) return;
      lastNotCovered.set(input.productId, decision.hostTime);
      const coverage =
        gate.serving && gate.coverage ? coverageText(gate.coverage.family, gate.coverage.maxGeneration) : 'installed';
      apply(
        [notCoveredTrigger({ productId: input.productId, productName: display(input.productId), coverage })],
        decision.hostTime,
      );
    }),
    host.engine.on('cmids-expired', (e) =>
      apply(
        [
          {
            raise: {
              kind: 'cmids-expired',
              severity: 'info',
              key: `cmids-expired:${e.applicationId}:${e.at}`,
              message: `${appName(e.applicationId)}: ${e.cmids.length} client${e.cmids.length === 1 ? '' : 's'} not seen for 30 days no longer count${e.cmids.length === 1 ? 's' : ''}; the count is now ${e.count}.`,
              view: 'overview',
              endsOn: 'acknowledge',
            },
          },
        ],
        e.at,
      ),
    ),
    // A failed publish or withdrawal (the store's DNS event log has it too, from the publisher);
    // one episode per zone, closed by the next success.
    host.dns.onResult((zone, r) => {
      const key = `dns-publish:${zone}`;
      if (r.ok) {
        apply([{ resolve: key }], r.at);
        return;
      }
      apply(
        [
          {
            raise: {
              kind: 'dns-publish-failed',
              severity: 'warning',
              key,
              message: `DNS: ${r.action === 'publish' ? 'publishing to' : 'withdrawing from'} ${zone} failed: ${r.message}${r.hint ? ` ${r.hint}` : ''}`,
              view: 'dns',
              endsOn: 'resolve',
            },
          },
        ],
        r.at,
      );
    }),
  ];
  return () => offs.forEach((off) => off());
}
