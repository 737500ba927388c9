/**
 * The console service: implements the contract over a running host and turns what happens in the
 * host into the contract's events. Both transports (Electron IPC, WebSocket) sit on this one object.
 */
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { ConsoleEvents } from './console-events.js';
import { createDnsService } from './dns-service.js';
import { buildHostKeyView } from './host-key-view.js';
import { createKeyService } from './key-service.js';
import type { NotificationFeed } from './notification-feed.js';
import { createSettingsService } from './settings-service.js';
import { createSimService } from './sim-service.js';
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
  const statusCheck = setInterval(
    host.faults.wrap('the console status check', () => pushStatus(false)),
    options.statusCheckMs ?? STATUS_CHECK_MS,
  );
  statusCheck.unref();

  const stopCommits = host.onCommitted((records) => {
    changed += records.length;
    flush ??= setTimeout(
      host.faults.wrap('the console change feed', () => {
        flush = undefined;
        const n = changed;
        changed = 0;
        events.emit('clients:changed', { changed: n, at: Date.now() });
        pushStatus(true);
      }),
      CHANGE_COALESCE_MS,
    );
  });

  const sim = createSimService(events);
  const contract: ConsoleContract = {
    ...sim.contract,
    ...watch.contract,
    'host:status': async () => buildStatusView(),
    'clients:window': (query) => host.reader.queryClients(query),
    'requests:window': (query) => host.reader.queryRequestLog({ ...query, newestFirst: true }),
    // Key and settings changes go through this host's own connection and are pushed at once.
    ...createKeyService(host, () => {
      host.refresh();
      events.emit('keys:changed', buildHostKeyView(host.store.db));
      pushStatus(true);
    }),
    ...createSettingsService(host, (settings) => {
      events.emit('settings:changed', settings);
      pushStatus(true);
    }),
    ...createDnsService(host, (e) => watch.raise(e)),
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
      sim.close();
    },
  };
}
