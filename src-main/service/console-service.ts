/**
 * The console service: implements the contract over a running host and turns what happens in the
 * host into the contract's events. Both transports (Electron IPC, WebSocket) sit on this one object.
 */
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { HostEventView } from '../../shared/ipc/views.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { ConsoleEvents } from './console-events.js';
import { hostEventsFrom } from './host-event-feed.js';
import { buildStatusView } from './status-view.js';
import { createDnsService } from './dns-service.js';

/** Change events are coalesced so a burst of activations costs the renderer one re-read. */
export const CHANGE_COALESCE_MS = 250;
/**
 * The status also changes with no activation: \`quorum settings set\` (intervals), \`quorum key
 * activate\` (the gate) and CMIDs expiring are picked up by the host's housekeeping, so the service
 * compares the status view at this pace and pushes it when it differs.
 */
export const STATUS_CHECK_MS = 1_000;
const MAX_EVENTS = 500;

export interface ConsoleService {
  contract: ConsoleContract;
  events: ConsoleEvents;
  close(): void;
}

export function createConsoleService(host: HostRuntime, options: { statusCheckMs?: number } = {}): ConsoleService {
  const events = new ConsoleEvents();
  const recent: HostEventView[] = [];
  let changed = 0;
  let flush: NodeJS.Timeout | undefined;
  let lastStatus = JSON.stringify(buildStatusView(host));
  const pushStatus = (force: boolean) => {
    const view = buildStatusView(host);
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

  const raise = (e: HostEventView) => {
    recent.unshift(e);
    recent.length = Math.min(recent.length, MAX_EVENTS);
    events.emit('host:event', e);
  };
  const stopEvents = hostEventsFrom(host, raise);

  const contract: ConsoleContract = {
    'host:status': async () => buildStatusView(host),
    'host:events': async () => recent.slice(),
    'clients:window': async (query) => host.store.queryClients(query),
    'requests:window': async (query) => host.store.queryRequestLog({ ...query, newestFirst: true }),
    ...createDnsService(host, raise),
  };

  return {
    contract,
    events,
    close: () => {
      clearTimeout(flush);
      clearInterval(statusCheck);
      stopCommits();
      stopEvents();
    },
  };
}
