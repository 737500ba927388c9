/** What the console shows, shaped for the renderer. Main builds these from the engine, store and key state. */
import type { QuorumErrorInfo } from '../domain/errors.js';

/** One threshold of an application; products sharing a threshold share a line. */
export interface ThresholdView {
  threshold: number;
  /** Display names of the products this threshold applies to. */
  products: string[];
  met: boolean;
  /** More clients needed; 0 when met. */
  needed: number;
  /** Moment the threshold is lost if nobody renews (ms); null when not met. */
  safeUntil: number | null;
  /** Those of `products` the host key does not cover: more clients never activate them. */
  uncovered: string[];
}

export interface ApplicationView {
  applicationId: string;
  name: string;
  count: number;
  capacity: number;
  thresholds: ThresholdView[];
}

export interface CountersView {
  total: number;
  failed: number;
  byLicenseState: Record<string, number>;
}

/** The installed host key and its limits (six hosts per key, the first activation plus nine reactivations per host). */
export interface HostKeyView {
  /** Only the last group shows, as everywhere: "*****-*****-*****-*****-2E7F6". */
  maskedKey: string;
  /** What it lets the host activate: "server and desktop, generations 1 to 3". */
  covers: string;
  activated: boolean;
  method: 'online' | 'offline' | null;
  activatedAt: number | null;
  /** Distinct hosts the key has activated, as of this host's activation; null before it. */
  hostsUsed: number | null;
  hostsLimit: number;
  /** This host's activation number (1 is the first); null before it. */
  activationNumber: number | null;
  activationsLimit: number;
  /** Printed by `quorum key activate --offline`, awaiting its confirmation ID. */
  pendingInstallationId: string | null;
}

export interface HostStatusView {
  serving: boolean;
  /** Why the host does not serve, with what to do; null while serving. */
  notServingReason: string | null;
  hostId: string;
  fingerprint: string;
  listening: string[];
  activationIntervalMin: number;
  renewalIntervalMin: number;
  applications: ApplicationView[];
  counters: CountersView;
  startedAt: number;
  /** Null while no key is installed. */
  hostKey: HostKeyView | null;
  /** What the admin should fix that does not stop activation (e.g. a data directory others can read). */
  warnings?: string[];
  /** Serving, or not activating with the cause and the fix. */
  health: HealthView;
}

/** How much an event asks of the admin: routine information, a warning, or something only they can fix. */
export type EventSeverity = 'info' | 'warning' | 'action';

export type HostEventKind =
  | 'not-activating'
  | 'activating'
  | 'listener-down'
  | 'store-failing'
  | 'threshold-up'
  | 'threshold-down'
  | 'forecast-below'
  | 'reactivation-spent'
  | 'hosts-limit'
  | 'activations-limit'
  | 'product-not-covered'
  | 'clone-suspected'
  | 'cmids-expired'
  | 'dns-publish-failed'
  | 'dns-stale-record';

/** The console views an event (or a notification) can open. */
export type ConsoleViewId = 'overview' | 'clients' | 'events' | 'keys' | 'settings' | 'dns' | 'rehearse';

/**
 * Something the console (and the tray) should tell the admin about, as stored by the host: one row
 * per episode (a condition that goes on, or repeats, raises its count and last time instead of a
 * new row), kept across restarts until pruned.
 */
export interface HostEventView {
  id: number;
  /** When the episode began. */
  at: number;
  /** When it last happened (equal to `at` for a single occurrence). */
  lastAt: number;
  occurrences: number;
  severity: EventSeverity;
  kind: HostEventKind;
  message: string;
  /** The view that shows what the event is about. */
  view: ConsoleViewId;
  acknowledgedAt: number | null;
  /** When the condition cleared by itself (the host activates again, the listener is back); null otherwise. */
  resolvedAt: number | null;
}

/** Whether the host activates clients, and if not, why and what fixes it. "Disconnected" is the console's own state. */
export type HealthView =
  | { state: 'serving' }
  | {
      state: 'not-activating';
      cause: 'no-key' | 'key-not-activated' | 'listener-down' | 'store-failing';
      /** What is wrong, in one sentence. */
      reason: string;
      /** What fixes it. */
      action: string;
      /** The view where the admin fixes it. */
      actionView: ConsoleViewId;
    };

/** Every invoke crosses the boundary as one of these, never as a thrown exception. */
export type Wrapped<T> = { ok: true; value: T } | { ok: false; error: QuorumErrorInfo };
