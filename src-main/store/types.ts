/**
 * What the host runtime and the console service ask of the store. The implementation lives in
 * this folder (better-sqlite3, WAL, group commit); callers depend on this interface only.
 */
import type { ClientWindow, ClientWindowQuery, RequestLogEntry, RequestResult } from '../../shared/domain/index.js';
import type { ActivationDecision, ActivationInput, EngineChange, EngineSnapshot } from '../engine/types.js';

/** One handled request, persisted as one unit: inventory row, request log entry, CMID table changes, counters. */
export interface ActivationRecord {
  at: number;
  input: ActivationInput;
  decision: ActivationDecision;
  changes: EngineChange[];
}

/**
 * A request refused before the engine decided (admission, rate limit, undecodable body): logged and
 * counted, but it adds no client to the inventory. Fields the request did not yield are omitted.
 */
export interface RefusalRecord {
  at: number;
  result: RequestResult;
  address: string;
  cmid?: string;
  machineName?: string;
  applicationId?: string;
  productId?: string;
  licenseState?: number;
  isVm?: boolean;
  clientTime?: number;
  remainingMinutes?: number;
}

/** A DNS publishing event (Microsoft's 12293/12294). */
export interface DnsEvent {
  at: number;
  domain: string;
  action: string;
  ok: boolean;
  message: string;
}

export interface StoreStats {
  file: string;
  fileBytes: number;
  walBytes: number;
  schemaVersion: number;
  clients: number;
  requestLogRows: number;
  commits: number;
  committedItems: number;
  largestBatch: number;
  meanBatch: number;
  failedItems: number;
  /** Activations committed to the journal and not yet applied to the inventory (normally 0 after a read). */
  journalPending: number;
  /** Journal batches applied since the store opened. */
  journalApplies: number;
  /** Journal rows that could not be applied on their own; kept, marked, in activation_journal. */
  journalFailedRows: number;
}

export interface RequestLogQuery {
  offset: number;
  limit: number;
  /** Newest first when true (the default for the console). */
  newestFirst?: boolean;
}

export interface RequestLogWindow {
  rows: RequestLogEntry[];
  total: number;
  offset: number;
}

export interface ActivationStore {
  /** Engine state to resume from (CMID tables, capacities, counters). */
  loadEngineSnapshot(): EngineSnapshot;
  /**
   * Queues the record for the next group commit (an append to the activation journal). Resolves
   * only after the transaction holding it has committed, so the caller can send its reply knowing
   * the activation is durable; the inventory follows within milliseconds, and reads apply it first.
   */
  commitActivation(record: ActivationRecord): Promise<void>;
  queryClients(query: ClientWindowQuery, options?: { wholeCount?: boolean }): ClientWindow;
  queryRequestLog(query: RequestLogQuery): RequestLogWindow;
  getSetting(key: string): string | undefined;
  setSetting(key: string, value: string): void;
  close(): void;
}
