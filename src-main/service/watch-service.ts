/**
 * The watching half of the console service: the stored event log and its triggers, the daily
 * count snapshots, the notification feed for the tray, and the Clients view's history and export.
 * Its housekeeping re-checks the host's conditions every `tickMs`, so a restart neither loses an
 * open condition nor raises it twice.
 */
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { RaisedEvent } from './event-log.js';
import type { HostEventView, HostStatusView } from '../../shared/ipc/views.js';
import { keyCovers } from '../../shared/keys/index.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { clientHistory, exportClientView } from './client-views.js';
import { countHistory, writeDailySnapshot } from './count-history.js';
import { EventLog } from './event-log.js';
import { statusTriggers, type CoveredThreshold, type Trigger, type WatchFacts } from './event-triggers.js';
import { hostTriggersFrom } from './host-event-feed.js';
import { createNotificationFeed, type NotificationFeed } from './notification-feed.js';
import type { NotificationPolicyOptions } from './notification-policy.js';
import { buildStatusView } from './status-view.js';

export const WATCH_TICK_MS = 2_000;
/** The daily snapshot is rewritten at most this often (it also proves the database still takes writes). */
const SNAPSHOT_EVERY_MS = 60_000;

type WatchChannels = 'host:events' | 'events:acknowledge' | 'clients:history' | 'clients:export' | 'overview:history';

export interface WatchService {
  contract: Pick<ConsoleContract, WatchChannels>;
  /** Raises an event from elsewhere in the service (a DNS check) through the same log and policy. */
  raise(e: RaisedEvent): void;
  notifications: NotificationFeed;
  /** Why the database failed its last write, or null. */
  storeProblem(): string | null;
  status(): HostStatusView;
  close(): void;
}

export interface WatchOptions {
  tickMs?: number;
  notifications?: Partial<NotificationPolicyOptions>;
}

function coveredThresholds(host: HostRuntime): CoveredThreshold[] {
  const gate = host.gate();
  const engineStatus = host.engine.status();
  const out: CoveredThreshold[] = [];
  for (const app of engineStatus.applications) {
    for (const t of app.thresholds) {
      const products = t.productIds
        .map((id) => host.catalog.byId(id))
        .filter((p) => p !== undefined && gate.serving && (gate.coverage === undefined || keyCovers(gate.coverage, p)));
      if (products.length === 0) continue;
      out.push({
        applicationId: app.applicationId,
        applicationName: app.name,
        threshold: t.threshold,
        products: products.map((p) => p!.displayName),
        count: app.count,
        met: t.met,
        safeUntil: t.safeUntil,
      });
    }
  }
  return out;
}

export function createWatchService(
  host: HostRuntime,
  emit: (e: HostEventView) => void,
  options: WatchOptions = {},
): WatchService {
  const now = () => Date.now();
  const log = new EventLog(host.store.db);
  const feed = createNotificationFeed(now, options.notifications);
  let storeProblem: string | null = null;
  let lastSnapshot = -Infinity;
  let prev: WatchFacts | null = null;

  const fail = (e: unknown) => {
    storeProblem = e instanceof Error ? e.message : String(e);
  };

  const apply = (triggers: Trigger[], at: number) => {
    try {
      for (const t of triggers) {
        if ('raise' in t) {
          const { event, changed } = log.raise(t.raise, at);
          if (!changed) continue;
          emit(event);
          feed.offer(event);
        } else {
          for (const e of log.resolve(t.resolve, at)) {
            emit(e);
            feed.acknowledged([e.id]);
          }
        }
      }
    } catch (e) {
      fail(e);
    }
  };

  const status = () => buildStatusView(host, storeProblem);

  const tick = () => {
    const at = now();
    if (at - lastSnapshot >= SNAPSHOT_EVERY_MS || storeProblem !== null) {
      try {
        writeDailySnapshot(host.store.db, buildStatusView(host, null), at);
        lastSnapshot = at;
        storeProblem = null;
      } catch (e) {
        fail(e);
      }
    }
    const view = status();
    const facts: WatchFacts = { at, health: view.health, hostKey: view.hostKey, thresholds: coveredThresholds(host) };
    apply(
      statusTriggers(prev, facts, (key) => log.wasRaised(key)),
      at,
    );
    prev = facts;
    try {
      feed.update(view.health, log.list('attention', 100));
    } catch (e) {
      fail(e);
    }
  };

  const stopTriggers = hostTriggersFrom(host, apply);
  tick();
  const timer = setInterval(host.faults.wrap('the console watch', tick), options.tickMs ?? WATCH_TICK_MS);
  timer.unref();

  const contract: WatchService['contract'] = {
    'host:events': async () => {
      const byId = new Map<number, HostEventView>();
      for (const e of [...log.list('attention', 500), ...log.list('routine', 200)]) byId.set(e.id, e);
      return [...byId.values()].sort((a, b) => b.id - a.id);
    },
    'events:acknowledge': async ({ ids }) => {
      const acknowledged = log.acknowledge(ids, now());
      feed.acknowledged(ids);
      for (const id of ids) {
        const e = log.get(id);
        if (e) emit(e);
      }
      feed.update(status().health, log.list('attention', 100));
      return { acknowledged };
    },
    'clients:history': async ({ cmid, limit }) => clientHistory(host, cmid, limit),
    'clients:export': async ({ format, sort, filter }) => exportClientView(host, format, { sort, filter }, now()),
    'overview:history': async ({ days }) =>
      countHistory(host.store.db, status(), host.engine.snapshot().cmids, now(), days),
  };

  return {
    contract,
    raise: (e) => apply([{ raise: e }], now()),
    notifications: feed,
    storeProblem: () => storeProblem,
    status,
    close: () => {
      clearInterval(timer);
      stopTriggers();
      feed.close();
    },
  };
}
