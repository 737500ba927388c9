/**
 * The engine's seams: what the host runtime feeds it, what it answers, and what it asks the store
 * to persist. The engine itself is pure (no I/O, no timers, time from the injected Clock).
 */
import type { LicenseState, RequestResult } from '../../shared/domain/index.js';
import type { KeyCoverage } from '../../shared/keys/coverage.js';

/** One decoded, admitted activation request. */
export interface ActivationInput {
  /** Lower-case UUID text. */
  cmid: string;
  previousCmid: string | null;
  machineName: string;
  /** Remote address as the listener saw it. */
  address: string;
  applicationId: string;
  productId: string;
  productGroupId: string;
  licenseState: LicenseState;
  remainingMinutes: number;
  isVm: boolean;
  /** Client's clock, ms since the epoch. */
  clientTime: number;
}

export interface ActivationDecision {
  result: RequestResult;
  granted: boolean;
  /** Count of the product's application after recording this request. */
  count: number;
  threshold: number;
  activationIntervalMin: number;
  renewalIntervalMin: number;
  validityMin: number;
  hostTime: number;
  /** Set when result is neither 'granted' nor 'count-insufficient'. */
  message?: string;
}

/** A CMID table entry, as persisted. */
export interface CmidEntry {
  applicationId: string;
  cmid: string;
  lastSeen: number;
  machineName: string;
  address: string;
  productId: string;
}

/** What one request changed, for the store to persist in the same transaction as the reply's record. */
export type EngineChange =
  | { kind: 'cmid-upsert'; entry: CmidEntry }
  | { kind: 'cmid-remove'; applicationId: string; cmid: string }
  | { kind: 'capacity'; applicationId: string; capacity: number };

/** Cumulative request counters, as slmgr /dlv shows them. Reset only on reinstall. */
export interface RequestCounters {
  total: number;
  failed: number;
  /** Keyed by license state number (0..6). */
  byLicenseState: Record<number, number>;
}

export interface CounterSnapshot {
  all: RequestCounters;
  byApplication: Record<string, RequestCounters>;
  byProduct: Record<string, RequestCounters>;
}

/** Everything the engine needs to resume after a restart. */
export interface EngineSnapshot {
  cmids: CmidEntry[];
  capacities: Record<string, number>;
  counters: CounterSnapshot;
}

export interface EngineOutcome {
  decision: ActivationDecision;
  /** For the store, applied in the same transaction as the request's record. */
  changes: EngineChange[];
}

/** Whether the host may activate clients (the host-key seam: not until the host key is activated). */
export type ServingGate =
  | {
      serving: true;
      /** Products the installed host key covers; absent means every product (an engine used on its own). */
      coverage?: KeyCoverage;
    }
  | { serving: false; reason: string };

/** What the activation path needs of the engine. Implemented by `Engine` in engine.ts. */
export interface ActivationEngine {
  /** Records the request and decides. Never throws for a well-formed input. */
  handle(input: ActivationInput): EngineOutcome;
  /**
   * Counts a request refused before the engine could decide (admission, rate limit, undecodable
   * body), so the /dlv counters stay truthful. Fields the request did not yield are omitted.
   */
  refuse(partial: { applicationId?: string; productId?: string; licenseState?: number }, result: RequestResult): void;
  /** The intervals every response carries, refused or not. */
  readonly intervals: Required<EngineIntervals>;
}

/** One threshold of an application (products sharing a threshold share a line), with its forecast. */
export interface ThresholdStatus {
  threshold: number;
  productIds: string[];
  met: boolean;
  /** More clients needed to meet it; 0 when met. */
  needed: number;
  /**
   * When met: the moment the count falls below the threshold if nobody else renews (the
   * threshold-th most recent CMID turns 30 days old). Null when not met.
   */
  safeUntil: number | null;
}

export interface ApplicationStatus {
  applicationId: string;
  name: string;
  /** Distinct CMIDs seen in the last 30 days. */
  count: number;
  /** Cache size: twice the highest threshold requested so far; 0 before any request. */
  capacity: number;
  thresholds: ThresholdStatus[];
}

/** Everything slmgr /dlv shows that the engine knows, plus the counts against each threshold. */
export interface EngineStatus {
  at: number;
  serving: ServingGate;
  activationIntervalMin: number;
  renewalIntervalMin: number;
  validityMin: number;
  applications: ApplicationStatus[];
  counters: CounterSnapshot;
}

export interface EngineIntervals {
  activationIntervalMin?: number;
  renewalIntervalMin?: number;
}

/** The engine's typed events. */
export interface EngineEvents {
  'threshold-crossed': {
    applicationId: string;
    productIds: string[];
    direction: 'up' | 'down';
    count: number;
    threshold: number;
    at: number;
  };
  'cmids-expired': { applicationId: string; cmids: string[]; count: number; at: number };
  'capacity-grew': { applicationId: string; from: number; to: number; at: number };
  'request-handled': { input: ActivationInput; decision: ActivationDecision };
  /** One CMID seen from different machine names or addresses: a cloned image that was not generalised. */
  'clone-suspected': {
    applicationId: string;
    cmid: string;
    machineNames: string[];
    addresses: string[];
    /** When the differing sightings happened, oldest first. */
    seenAt: number[];
    at: number;
  };
}
