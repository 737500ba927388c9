/**
 * The console service: implements the contract over a running host and turns what happens in the
 * host into the contract's events. Both transports (Electron IPC, WebSocket) sit on this one object.
 */
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { ConsoleEvents } from './console-events.js';
import type { NotificationFeed } from './notification-feed.js';
import { createWatchService, type WatchOptions } from './watch-service.js';

/** Change events are coalesced so a burst of activations costs the renderer one re-read. */
export const CHANGE_COALESCE_MS = 250;
/**
 * The status also changes with no activation: \`quorum settings set\` (intervals), \`quorum key
 * activate\` (the gate) and CMIDs expiring are picked up by the host's housekeeping, so the service
 * compares the status view at this pace and pushes it when it differs.
 */
export const STATUS_CHECK_MS = 1_000;

export interface ConsoleService {
  contract: ConsoleContract;
  events: ConsoleEvents;
  /** Notifications and tray state for the desktop shell (policy in notification-policy.ts). */
  notifications: NotificationFeed;
  close(): void;
}

export function createConsoleService(
  host: HostRuntime,
  options: { statusCheckMs?: number; watch?: WatchOptions } = {},
): ConsoleService {
  const events = new ConsoleEvents();
  const watch = createWatchService(host, (e) => events.emit('host:event', e), options.watch);
  const buildStatusView = () => watch.status();
  let changed = 0;
  let flush: NodeJS.Timeout | undefined;
  let lastStatus = JSON.stringify(buildStatusView());
  const pushStatus = (force: boolean) => {
    const view = buildStatusView();
    const text = JSON.stringify(view);
    if (!force && text === lastStatus) return;
    lastStatus = text;
    events.emit('host:status-changed', view);
  };
  const statusCheck = setInterval(() => pushStatus(false), options.statusCheckMs ?? STATUS_CHECK_MS);
  statusCheck.unref();

  const stopCommits = host.onCommitted((records) => {
    changed += records.length;
    flush ??= setTimeout(() => {
      flush = undefined;
      events.emit('clients:changed', { changed, at: Date.now() });
      pushStatus(true);
      changed = 0;
    }, CHANGE_COALESCE_MS);
  });

  const contract: ConsoleContract = {
    'host:status': async () => buildStatusView(),
    'clients:window': async (query) => host.store.queryClients(query),
    'requests:window': async (query) => host.store.queryRequestLog({ ...query, newestFirst: true }),
    ...watch.contract,
  };

  return {
    contract,
    events,
    notifications: watch.notifications,
    close: () => {
      clearTimeout(flush);
      clearInterval(statusCheck);
      stopCommits();
      watch.close();
    },
  };
}
