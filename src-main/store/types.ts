/**
 * What the host runtime and the console service ask of the store. The implementation lives in
 * this folder (better-sqlite3, WAL, group commit); callers depend on this interface only.
 */
import type { ClientWindow, ClientWindowQuery, RequestLogEntry } from '../../shared/domain/index.js';
import type { ActivationDecision, ActivationInput, EngineChange, EngineSnapshot } from '../engine/types.js';

/** One handled request, persisted as one unit: inventory row, request log entry, CMID table changes, counters. */
export interface ActivationRecord {
  at: number;
  input: ActivationInput;
  decision: ActivationDecision;
  changes: EngineChange[];
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
   * Queues the record for the next group commit. Resolves only after the transaction holding it
   * has committed, so the caller can send its reply knowing the activation is durable.
   */
  commitActivation(record: ActivationRecord): Promise<void>;
  queryClients(query: ClientWindowQuery): ClientWindow;
  queryRequestLog(query: RequestLogQuery): RequestLogWindow;
  getSetting(key: string): string | undefined;
  setSetting(key: string, value: string): void;
  close(): void;
}
