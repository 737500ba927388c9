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
}

/** Something the console (and the tray) should tell the admin about. */
export interface HostEventView {
  at: number;
  level: 'info' | 'warning' | 'error';
  kind: 'threshold-up' | 'threshold-down' | 'clone-suspected' | 'cmids-expired' | 'capacity-grew' | 'host';
  message: string;
}

/** Every invoke crosses the boundary as one of these, never as a thrown exception. */
export type Wrapped<T> = { ok: true; value: T } | { ok: false; error: QuorumErrorInfo };
