/**
 * The host's store over one better-sqlite3 connection: group-committed activations, windowed
 * reads, exports, settings, DNS events. Opening (checks, pragmas, migrations) is in open-store.ts.
 */
import type { Database, Statement } from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import type { ProductCatalog } from '../../shared/domain/products.js';
import type { ClientWindow, ClientWindowQuery } from '../../shared/domain/records.js';
import type { EngineChange, EngineSnapshot } from '../engine/types.js';
import { ActivationJournal, type JournalEntry, type JournalOptions } from './activation-journal.js';
import { Checkpointer, type CheckpointStats } from './checkpointer.js';
import { ClientQueries } from './client-query.js';
import { SyncSteps, type Steps } from './sql-steps.js';
import { loadEngineSnapshot } from './engine-snapshot.js';
import { exportClients, exportRequestLog, type ExportFormat } from './export.js';
import { GroupCommitter } from './group-commit.js';
import { RequestLog, type RetentionOptions } from './request-log.js';
import { storeError } from './store-errors.js';
import type {
  ActivationRecord,
  ActivationStore,
  DnsEvent,
  RefusalRecord,
  RequestLogQuery,
  RequestLogWindow,
  StoreStats,
} from './types.js';
import { ActivationWriter, type QueuedWrite } from './write-activations.js';
import { StoreHealth, type StoreProblem } from './store-health.js';

export interface SqliteStoreConfig {
  db: Database;
  file: string;
  readonly: boolean;
  clock: Clock;
  catalog: ProductCatalog;
  retention: Required<RetentionOptions>;
  maxBatch: number;
  schemaVersion: number;
  /** Where faults of the journal's background apply go (the host's log); they are retried, nothing is lost. */
  onJournalError?: (e: QuorumError) => void;
  /** Told when recording activations starts failing (with why) and when it works again (null). */
  onHealthChange?: (problem: QuorumError | null) => void;
}

/** Failures that are not about one record: retrying records one by one would not help. */
const WHOLE_BATCH_FAULTS = new Set([
  'STORE_LOCKED',
  'STORE_CORRUPT',
  'STORE_READONLY',
  'STORE_DISK_FULL',
  'STORE_IO_ERROR',
  'STORE_WAL_LOST',
]);

/** Request-log rows pruned per commit at most, beyond the batch's own size. */
const PRUNE_BUDGET = 512;

function isWholeBatchFault(file: string, e: unknown): boolean {
  return WHOLE_BATCH_FAULTS.has(storeError(file, e, '').code);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export class SqliteStore implements ActivationStore {
  /** The connection, for repositories that add their own tables (host keys, authority ledger). */
  readonly db: Database;
  readonly file: string;
  readonly readonly: boolean;
  readonly schemaVersion: number;
  readonly retention: Required<RetentionOptions>;
  readonly #clock: Clock;
  readonly #committer: GroupCommitter<JournalEntry>;
  readonly #journal: ActivationJournal | undefined;
  readonly #checkpointer: Checkpointer | undefined;
  readonly #log: RequestLog;
  readonly #clients: ClientQueries;
  readonly #steps: SyncSteps;
  readonly #listeners = new Set<(records: ActivationRecord[]) => void>();
  readonly #getSetting: Statement;
  #closed = false;
  readonly #onJournalError: ((e: QuorumError) => void) | undefined;
  readonly #health: StoreHealth | undefined;

  constructor(c: SqliteStoreConfig) {
    this.db = c.db;
    this.file = c.file;
    this.readonly = c.readonly;
    this.schemaVersion = c.schemaVersion;
    this.retention = c.retention;
    this.#clock = c.clock;
    this.#onJournalError = c.onJournalError;
    this.#log = new RequestLog(c.db);
    this.#clients = new ClientQueries(c.db);
    this.#steps = new SyncSteps(c.db);
    this.#getSetting = c.db.prepare('SELECT value FROM settings WHERE key = ?');
    const writer = c.readonly ? undefined : new ActivationWriter(c.db, c.catalog);
    this.#checkpointer = c.readonly
      ? undefined
      : new Checkpointer({
          db: c.db,
          file: c.file,
          busyTimeoutMs: Number(c.db.pragma('busy_timeout', { simple: true })),
        });
    const journalOptions = writer && this.#journalOptions(writer);
    // Replay before anything reads: rows a killed process committed but never applied.
    if (journalOptions) this.#run('applying the activation journal', () => ActivationJournal.replay(journalOptions));
    this.#journal = journalOptions && new ActivationJournal(journalOptions);
    const appendBatch = c.db.transaction((entries: JournalEntry[]) => {
      if (!this.#journal) throw this.#readonlyError();
      this.#journal.append(entries);
    });
    this.#health = c.readonly
      ? undefined
      : new StoreHealth(c.db, c.file, () => c.clock.now(), c.onHealthChange ?? (() => {}));
    const health = this.#health;
    this.#committer = new GroupCommitter<JournalEntry>({
      maxBatch: c.maxBatch,
      writeBatch: (entries) => {
        health?.assertWritable();
        try {
          appendBatch.immediate(entries);
        } catch (e) {
          if (isWholeBatchFault(this.file, e))
            health?.commitFailed(storeError(this.file, e, 'recording an activation'));
          throw e;
        }
        health?.committed();
      },
      committed: (entries) => {
        this.#checkpointer?.committed();
        this.#journal?.committed(entries);
      },
      toError: (e) => storeError(this.file, e, 'recording an activation'),
      retryItems: (e) => !isWholeBatchFault(this.file, e),
    });
  }

  #journalOptions(writer: ActivationWriter): JournalOptions {
    return {
      db: this.db,
      writer,
      afterApply: (n) => this.#log.prune(this.#clock.now(), this.retention, PRUNE_BUDGET + n),
      applied: (items) => {
        this.#checkpointer?.committed();
        this.#notify(items);
      },
      retryRows: (e) => !isWholeBatchFault(this.file, e),
      onError: (e, what) => this.#onJournalError?.(storeError(this.file, e, what)),
    };
  }

  loadEngineSnapshot(): EngineSnapshot {
    this.applyPending();
    return this.#run('loading the engine state', () => loadEngineSnapshot(this.db));
  }

  commitActivation(record: ActivationRecord): Promise<void> {
    if (this.readonly) return Promise.reject(this.#readonlyError());
    return this.#committer.enqueue({ item: { kind: 'activation', record }, seq: 0 });
  }

  /** Logs and counts a request refused before the engine decided; resolves after commit. */
  commitRefusal(record: RefusalRecord): Promise<void> {
    if (this.readonly) return Promise.reject(this.#readonlyError());
    return this.#committer.enqueue({ item: { kind: 'refusal', record }, seq: 0 });
  }

  /** Persists CMID table changes made outside a request (expiry, restore repairs); resolves after commit. */
  commitEngineChanges(changes: EngineChange[]): Promise<void> {
    if (this.readonly) return Promise.reject(this.#readonlyError());
    if (changes.length === 0) return Promise.resolve();
    return this.#committer.enqueue({ item: { kind: 'engine-changes', changes }, seq: 0 });
  }

  /**
   * Fires when activations reach the inventory (a journal batch applied, within ~20 ms of their
   * replies), with those activations in order. Returns an unsubscribe.
   */
  onCommitted(listener: (records: ActivationRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A window of the client inventory. The total of a text filter is counted within a budget that
   * keeps the console responsive (a lower bound beyond it); `wholeCount` counts up to the cap
   * however long that takes, for a person who ran one command and waits for one answer.
   */
  queryClients(query: ClientWindowQuery, options: { wholeCount?: boolean } = {}): ClientWindow {
    this.applyPending();
    return this.#run('reading the client table', () => this.#clients.window(query, this.#clock.now(), options));
  }

  /** Runs a read's steps on this connection, after applying what the journal holds. */
  readSteps<T>(doing: string, steps: Steps<T>): T {
    this.applyPending();
    return this.#run(doing, () => this.#steps.run(steps));
  }

  queryRequestLog(query: RequestLogQuery): RequestLogWindow {
    this.applyPending();
    return this.#run('reading the request log', () => this.#log.query(query));
  }

  exportClients(format: ExportFormat, out: (chunk: string) => void): number {
    this.applyPending();
    return this.#run('exporting clients', () => exportClients(this.db, format, out));
  }

  exportRequestLog(format: ExportFormat, out: (chunk: string) => void): number {
    this.applyPending();
    return this.#run('exporting the request log', () => exportRequestLog(this.db, format, out));
  }

  getSetting(key: string): string | undefined {
    return this.#run('reading a setting', () => (this.#getSetting.get(key) as { value: string } | undefined)?.value);
  }

  setSetting(key: string, value: string): void {
    this.#run('saving a setting', () =>
      this.db
        .prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value),
    );
  }

  recordDnsEvent(e: DnsEvent): void {
    this.#run('recording a DNS event', () =>
      this.db
        .prepare('INSERT INTO dns_events (at, domain, action, ok, message) VALUES (?, ?, ?, ?, ?)')
        .run(e.at, e.domain, e.action, e.ok ? 1 : 0, e.message),
    );
  }

  /** Newest first. */
  listDnsEvents(limit = 100): DnsEvent[] {
    const rows = this.#run('reading DNS events', () =>
      this.db.prepare('SELECT at, domain, action, ok, message FROM dns_events ORDER BY id DESC LIMIT ?').all(limit),
    ) as { at: number; domain: string; action: string; ok: number; message: string }[];
    return rows.map((r) => ({ ...r, ok: r.ok === 1 }));
  }

  /**
   * Applies committed journal rows to the inventory now, so a read sees every acknowledged write.
   * A database fault leaves them pending (retried in the background) and the read goes ahead.
   */
  applyPending(): void {
    this.#journal?.applyAll();
  }

  /** Settles once what the journal holds now is applied by its own batches (the console reader's wait). */
  whenApplied(): Promise<void> {
    return this.#journal?.whenApplied() ?? Promise.resolve();
  }

  stats(): StoreStats {
    this.applyPending();
    const s = this.#committer.stats;
    const j = this.#journal?.stats;
    return {
      file: this.file,
      fileBytes: fileSize(this.file),
      walBytes: fileSize(`${this.file}-wal`),
      schemaVersion: this.schemaVersion,
      clients: this.#run('counting clients', () => this.#clients.count()),
      requestLogRows: this.#run('counting the request log', () => this.#log.count()),
      commits: s.commits,
      committedItems: s.items,
      largestBatch: s.largestBatch,
      meanBatch: s.commits === 0 ? 0 : s.items / s.commits,
      failedItems: s.failedItems,
      journalPending: j?.pending ?? 0,
      journalApplies: j?.applies ?? 0,
      journalFailedRows: j?.failedRows ?? 0,
    };
  }

  /**
   * Journal rows committed (and perhaps replied to) but not yet filed into the inventory, as the
   * file holds them: for a reader, the rows a host that stopped uncleanly left for its next start.
   */
  unfiledJournalRows(): number {
    if (this.schemaVersion < 5) return 0;
    return this.#run(
      'reading the activation journal',
      () => this.db.prepare('SELECT COUNT(*) FROM activation_journal WHERE error IS NULL').pluck().get() as number,
    );
  }

  /** Why activations cannot be recorded now (a failing commit, a lost -wal), or null. */
  get health(): StoreProblem | null {
    return this.#health?.problem ?? null;
  }

  /** Re-checks a failing store (and the -wal): called by the host's housekeeping. */
  probeHealth(): void {
    if (!this.#closed) this.#health?.probe(this.schemaVersion);
  }

  /** Background and inline WAL checkpoints so far (undefined for a read-only store). */
  get checkpoints(): CheckpointStats | undefined {
    return this.#checkpointer?.stats;
  }

  /** Writes anything still queued, then closes the connection. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#committer.close();
      // What cannot be applied now stays in the journal and is applied at the next open.
      this.#journal?.applyAll();
    } finally {
      this.#journal?.stop();
      // The checkpoint worker's connection closes first, so this one is the last and leaves no WAL behind.
      this.#checkpointer?.close();
      this.db.close();
    }
  }

  #notify(items: readonly QueuedWrite[]): void {
    if (this.#listeners.size === 0) return;
    const records: ActivationRecord[] = [];
    for (const i of items) if (i.kind === 'activation') records.push(i.record);
    if (records.length === 0) return;
    for (const l of this.#listeners) {
      try {
        l(records);
      } catch {
        // A console listener's fault must not affect the activation path.
      }
    }
  }

  #run<T>(doing: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw storeError(this.file, e, doing);
    }
  }

  #readonlyError(): QuorumError {
    return new QuorumError(
      'STORE_READONLY',
      `The database ${this.file} was opened read-only; nothing can be recorded through it.`,
      'Record activations through the running host (quorum serve).',
    );
  }
}
