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
}

/** Something the console (and the tray) should tell the admin about. */
export interface HostEventView {
  at: number;
  level: 'info' | 'warning' | 'error';
  kind: 'threshold-up' | 'threshold-down' | 'clone-suspected' | 'cmids-expired' | 'capacity-grew' | 'host' | 'dns';
  message: string;
}

/** Every invoke crosses the boundary as one of these, never as a thrown exception. */
export type Wrapped<T> = { ok: true; value: T } | { ok: false; error: QuorumErrorInfo };
