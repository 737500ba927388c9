/** What the console shows, shaped for the renderer. Main builds these from the engine, store and key state. */
import type { QuorumErrorInfo } from '../domain/errors.js';

export interface ThresholdView {
  productId: string;
  productName: string;
  displayName: string;
  threshold: number;
  met: boolean;
  /** Moment the threshold is lost if nobody renews (ms); null when not met or no client counts. */
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
