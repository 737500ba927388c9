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
import { createSimService } from './sim-service.js';
import { buildHostKeyView } from './host-key-view.js';
import { createKeyService } from './key-service.js';
import { createSettingsService } from './settings-service.js';
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

  const raise = (e: HostEventView) => {
    recent.unshift(e);
    recent.length = Math.min(recent.length, MAX_EVENTS);
    events.emit('host:event', e);
  };
  const stopEvents = hostEventsFrom(host, raise);

  const sim = createSimService(events);
  const contract: ConsoleContract = {
    ...sim.contract,
    'host:status': async () => buildStatusView(host),
    'host:events': async () => recent.slice(),
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
      sim.close();
    },
  };
}
