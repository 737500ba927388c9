/**
 * Turns the engine's events into the console's "needs attention" feed (and the tray's
 * notifications), each as a sentence that says what happened and what it means.
 */
import { APPLICATIONS } from '../../shared/domain/products.js';
import type { HostEventView } from '../../shared/ipc/views.js';
import type { HostRuntime } from '../host/host-runtime.js';

export function hostEventsFrom(host: HostRuntime, emit: (e: HostEventView) => void): () => void {
  const appName = (id: string) => APPLICATIONS.find((a) => a.id === id.toLowerCase())?.name ?? 'application';
  const products = (ids: string[]) => ids.map((id) => host.catalog.byId(id)?.displayName ?? id).join(', ');
  const offs = [
    host.engine.on('threshold-crossed', (e) =>
      emit(
        e.direction === 'up'
          ? {
              at: e.at,
              level: 'info',
              kind: 'threshold-up',
              message: `${appName(e.applicationId)}: the count reached ${e.count} of ${e.threshold}; ${products(e.productIds)} clients are now activated.`,
            }
          : {
              at: e.at,
              level: 'warning',
              kind: 'threshold-down',
              message: `${appName(e.applicationId)}: the count fell to ${e.count}, below ${e.threshold}; ${products(e.productIds)} clients are no longer activated until ${e.threshold - e.count} more renew or join.`,
            },
      ),
    ),
    host.engine.on('clone-suspected', (e) =>
      emit({
        at: e.at,
        level: 'warning',
        kind: 'clone-suspected',
        message: `One client ID (CMID ${e.cmid}) is used by ${e.machineNames.join(', ')} (${e.addresses.join(', ')}): these machines were probably cloned from an image that was not generalised, so they count once. Generalise the image and give each machine a new CMID.`,
      }),
    ),
    host.engine.on('cmids-expired', (e) =>
      emit({
        at: e.at,
        level: 'info',
        kind: 'cmids-expired',
        message: `${appName(e.applicationId)}: ${e.cmids.length} client${e.cmids.length === 1 ? '' : 's'} not seen for 30 days no longer count${e.cmids.length === 1 ? 's' : ''}; the count is now ${e.count}.`,
      }),
    ),
    host.engine.on('capacity-grew', (e) =>
      emit({
        at: e.at,
        level: 'info',
        kind: 'capacity-grew',
        message: `${appName(e.applicationId)}: the client cache grew from ${e.from} to ${e.to} entries.`,
      }),
    ),
    // A failed publish or withdrawal (the store's DNS event log has it too, from the publisher).
    host.dns.onResult((zone, r) => {
      if (r.ok) return;
      emit({
        at: r.at,
        level: 'warning',
        kind: 'dns',
        message: `DNS: ${r.action === 'publish' ? 'publishing to' : 'withdrawing from'} ${zone} failed: ${r.message}${r.hint ? ` ${r.hint}` : ''}`,
      });
    }),
  ];
  return () => offs.forEach((off) => off());
}
