/**
 * When the desktop app notifies, and what its tray shows, as pure code with the time passed in:
 * - only warnings and actions notify; routine information never does;
 * - de-duplication: an episode notifies once (more occurrences are not news), again only when its
 *   severity rises;
 * - coalescing: what arrives within `coalesceMs` of the first pending event becomes one notification;
 * - rate limit: at most `maxPerWindow` notifications per `windowMs`; the rest wait, coalesced;
 * - a click opens the view the events are about (Events when they are about different views).
 */
import type { ConsoleViewId, EventSeverity, HealthView, HostEventView } from '../../shared/ipc/views.js';

export interface NotificationPolicyOptions {
  coalesceMs: number;
  windowMs: number;
  maxPerWindow: number;
}

export const DEFAULT_NOTIFICATION_POLICY: NotificationPolicyOptions = {
  coalesceMs: 5_000,
  windowMs: 10 * 60_000,
  maxPerWindow: 3,
};

export interface ConsoleNotification {
  title: string;
  body: string;
  /** The view a click opens. */
  view: ConsoleViewId;
  eventIds: number[];
  severity: Exclude<EventSeverity, 'info'>;
}

const RANK: Record<EventSeverity, number> = { info: 0, warning: 1, action: 2 };

export class NotificationPolicy {
  readonly #o: NotificationPolicyOptions;
  /** Highest severity notified per event id. */
  readonly #notified = new Map<number, EventSeverity>();
  #pending: HostEventView[] = [];
  #pendingSince: number | null = null;
  #sent: number[] = [];

  constructor(options: Partial<NotificationPolicyOptions> = {}) {
    this.#o = { ...DEFAULT_NOTIFICATION_POLICY, ...options };
  }

  /** Takes an event as stored (new, or an episode that grew). */
  offer(e: HostEventView, now: number): void {
    if (e.severity === 'info' || e.acknowledgedAt !== null || e.resolvedAt !== null) return;
    const before = this.#notified.get(e.id);
    if (before !== undefined && RANK[before] >= RANK[e.severity]) return;
    this.#pending = [...this.#pending.filter((p) => p.id !== e.id), e];
    this.#pendingSince ??= now;
  }

  /** Drops pending events the admin has dealt with in the console meanwhile. */
  forget(ids: readonly number[]): void {
    this.#pending = this.#pending.filter((p) => !ids.includes(p.id));
    if (this.#pending.length === 0) this.#pendingSince = null;
  }

  /** When `due` next has something to give, or null. */
  nextDueAt(): number | null {
    if (this.#pendingSince === null) return null;
    const coalesced = this.#pendingSince + this.#o.coalesceMs;
    const free = this.#sent.length < this.#o.maxPerWindow ? 0 : this.#sent[0]! + this.#o.windowMs;
    return Math.max(coalesced, free);
  }

  /** The notification to show now, if any. */
  due(now: number): ConsoleNotification | null {
    this.#sent = this.#sent.filter((t) => now - t < this.#o.windowMs);
    const at = this.nextDueAt();
    if (at === null || now < at) return null;
    const events = this.#pending;
    this.#pending = [];
    this.#pendingSince = null;
    this.#sent.push(now);
    for (const e of events) this.#notified.set(e.id, e.severity);
    return summarise(events);
  }
}

function summarise(events: HostEventView[]): ConsoleNotification {
  const severity = events.some((e) => e.severity === 'action') ? 'action' : 'warning';
  const views = new Set(events.map((e) => e.view));
  const title = severity === 'action' ? 'Quorum: action needed' : 'Quorum: warning';
  const body =
    events.length === 1 ? events[0]!.message : `${events.length} things need your attention. ${events.at(-1)!.message}`;
  return {
    title,
    body,
    view: views.size === 1 ? events[0]!.view : 'events',
    eventIds: events.map((e) => e.id),
    severity,
  };
}

export type TrayState = 'ok' | 'attention' | 'not-activating';

export interface TrayStatus {
  state: TrayState;
  /** One line for the tray menu and tooltip. */
  line: string;
}

/** The tray's icon state and one-line status, from the host's health and what needs attention. */
export function trayStatus(health: HealthView, attention: readonly HostEventView[]): TrayStatus {
  const open = attention.filter((e) => e.severity !== 'info' && e.acknowledgedAt === null && e.resolvedAt === null);
  const needs = open.length === 0 ? '' : `; ${open.length} event${open.length === 1 ? ' needs' : 's need'} attention`;
  if (health.state === 'not-activating') {
    return { state: 'not-activating', line: `Not activating clients: ${health.reason}` };
  }
  return open.length > 0
    ? { state: 'attention', line: `Activating clients${needs}` }
    : { state: 'ok', line: 'Activating clients; nothing needs attention' };
}
