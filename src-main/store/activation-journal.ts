/**
 * The activation journal (schema 5): what a reply waits for is one appended row, not the
 * inventory's index maintenance.
 *
 * The reply's commit appends each record, in the compact form of journal-record.ts, to `activation_journal`. Applying it to the
 * inventory, the request log, the CMID table and the counters happens here, later, in batches: a
 * batch of hundreds shares the pages of the indexes it touches, where one activation per commit
 * rewrote ~13-28 WAL pages. Each apply transaction deletes the rows it applied, so a row found at
 * start-up was committed (and perhaps replied to) but not applied, and `replay` applies it before
 * anything reads. Reads through the store apply what is pending first, so a caller never sees an
 * inventory older than its own acknowledged writes.
 */
import type { Database, Statement, Transaction } from 'better-sqlite3';
import { decodeJournalRecord, encodeJournalRecord } from './journal-record.js';
import type { ActivationWriter, QueuedWrite } from './write-activations.js';

/** A queued write and, once its journal row is committed, that row's sequence number. */
export interface JournalEntry {
  item: QueuedWrite;
  seq: number;
}

export interface JournalOptions {
  db: Database;
  writer: ActivationWriter;
  /** Runs inside each apply transaction after the batch (request-log retention). */
  afterApply(batchSize: number): void;
  /** Called after an apply transaction committed, with its items in order. */
  applied(items: QueuedWrite[]): void;
  /** Most rows per apply transaction (default 512). */
  maxApply?: number;
  /** How long a committed row may wait for company before it is applied (default 20 ms). */
  applyDelayMs?: number;
  /** Whether a failed batch is worth retrying row by row (not for a full disk or a lock). */
  retryRows(e: unknown): boolean;
  /** Told when an apply failed (it is retried), or a row failed on its own (it is kept, marked). */
  onError(e: unknown, what: string): void;
}

export interface JournalStats {
  /** Committed, not yet applied. */
  pending: number;
  applies: number;
  appliedItems: number;
  /** Rows kept in the journal because they could not be applied on their own (this run or earlier ones). */
  failedRows: number;
}

/** A read waiting until the row `seq` (the newest committed when it asked) is applied. */
interface Waiter {
  seq: number;
  resolve: () => void;
}

/** After a batch failed as a whole (a full disk, a lock), wait this long before trying again. */
const RETRY_AFTER_MS = 1_000;

export class ActivationJournal {
  readonly #o: Required<JournalOptions>;
  readonly #append: Statement;
  readonly #remove: Statement;
  readonly #markFailed: Statement;
  readonly #countFailed: Statement;
  readonly #applyBatch: Transaction<(entries: JournalEntry[]) => void>;
  #pending: JournalEntry[] = [];
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  #blockedUntil = 0;
  #lastFault: unknown = null;
  /** Reads waiting for the rows committed before they began (whenApplied). */
  #waiters: Waiter[] = [];
  readonly #stats = { applies: 0, appliedItems: 0 };

  constructor(options: JournalOptions) {
    this.#o = { maxApply: 512, applyDelayMs: 20, ...options };
    const { db } = options;
    this.#append = db.prepare('INSERT INTO activation_journal (body) VALUES (?)');
    this.#remove = db.prepare('DELETE FROM activation_journal WHERE seq >= ? AND seq <= ? AND error IS NULL');
    this.#markFailed = db.prepare('UPDATE activation_journal SET error = ? WHERE seq = ?');
    this.#countFailed = db.prepare('SELECT COUNT(*) FROM activation_journal WHERE error IS NOT NULL').pluck();
    this.#applyBatch = db.transaction((entries: JournalEntry[]) => {
      this.#o.writer.write(entries.map((e) => e.item));
      this.#o.afterApply(entries.length);
      this.#remove.run(entries[0]!.seq, entries[entries.length - 1]!.seq);
    });
  }

  get stats(): JournalStats {
    return { pending: this.#pending.length, ...this.#stats, failedRows: this.#countFailed.get() as number };
  }

  /** Appends the entries inside the caller's transaction and gives each its sequence number. */
  append(entries: JournalEntry[]): void {
    for (const e of entries) e.seq = Number(this.#append.run(encodeJournalRecord(e.item)).lastInsertRowid);
  }

  /** The caller's append transaction committed: these entries now wait to be applied. */
  committed(entries: JournalEntry[]): void {
    for (const e of entries) this.#pending.push(e);
    this.#schedule();
  }

  /** Applies everything pending now (reads, close). Returns false if some could not be applied yet. */
  applyAll(): boolean {
    this.#cancelScheduled();
    while (this.#pending.length > 0) {
      if (!this.#applyNext()) {
        this.#wake(true);
        this.#schedule();
        return false;
      }
    }
    this.#wake(false);
    return true;
  }

  /**
   * Settles once every row committed so far is applied, by the batches already scheduled: a
   * console read then sees every reply sent before it began without adding an apply transaction
   * of its own to the thread that answers activations. Settles too when an apply fails as a whole,
   * and the read goes ahead with what is applied (the rows stay pending, as with applyAll).
   */
  whenApplied(): Promise<void> {
    const last = this.#pending.at(-1);
    if (!last) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ seq: last.seq, resolve }));
  }

  /** Stops scheduling; what is pending stays in the journal for the next start. */
  stop(): void {
    this.#cancelScheduled();
    this.#wake(true);
  }

  /**
   * Applies rows a previous process committed but did not apply, oldest first. Runs at open,
   * before the engine state is loaded from the tables the rows update. Throws the database's
   * fault (a full disk, a lock) if they cannot be applied; rows that fail on their own are marked.
   */
  static replay(options: JournalOptions): number {
    const rows = options.db
      .prepare('SELECT seq, body FROM activation_journal WHERE error IS NULL ORDER BY seq')
      .all() as { seq: number; body: Buffer | string }[];
    if (rows.length === 0) return 0;
    const journal = new ActivationJournal(options);
    for (const r of rows) {
      let item: QueuedWrite;
      try {
        item = decodeJournalRecord(r.body);
      } catch (e) {
        journal.#keepFailed({ item: { kind: 'engine-changes', changes: [] }, seq: r.seq }, e);
        continue;
      }
      journal.#pending.push({ item, seq: r.seq });
    }
    const replayed = journal.#pending.length;
    const complete = journal.applyAll();
    journal.stop();
    // The tables would be older than what clients were told: better to stop here, with the cause.
    if (!complete) throw journal.#lastFault;
    return replayed;
  }

  #schedule(): void {
    if (this.#pending.length === 0 || this.#immediate) return;
    const wait = this.#blockedUntil - Date.now();
    if (wait <= 0 && this.#pending.length >= this.#o.maxApply) {
      this.#cancelScheduled();
      this.#immediate = setImmediate(() => this.#tick());
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#tick(), Math.max(wait, this.#o.applyDelayMs));
      this.#timer.unref();
    }
  }

  #cancelScheduled(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
  }

  #tick(): void {
    this.#timer = null;
    this.#immediate = null;
    // One batch per turn, so replies waiting on the event loop go out between batches.
    this.#wake(!this.#applyNext());
    this.#schedule();
  }

  /** Applies the oldest batch; false when some of it failed as a whole and is kept for a later try. */
  #applyNext(): boolean {
    const batch = this.#pending.slice(0, this.#o.maxApply);
    if (batch.length === 0) return true;
    try {
      this.#applyBatch.immediate(batch);
    } catch (e) {
      if (!this.#o.retryRows(e)) return this.#blocked(e, batch.length);
      // One bad row must not hold up the others: apply them one transaction each.
      this.#pending.splice(0, batch.length);
      const kept: JournalEntry[] = [];
      for (const entry of batch) {
        try {
          this.#applyBatch.immediate([entry]);
          this.#done([entry]);
        } catch (e2) {
          if (this.#o.retryRows(e2)) this.#keepFailed(entry, e2);
          else kept.push(entry);
        }
      }
      if (kept.length === 0) return true;
      this.#pending.unshift(...kept);
      return this.#blocked(e, kept.length);
    }
    this.#pending.splice(0, batch.length);
    this.#done(batch);
    return true;
  }

  /** A fault of the whole database (full disk, lock): the rows stay pending and are tried again later. */
  #blocked(e: unknown, rows: number): false {
    this.#blockedUntil = Date.now() + RETRY_AFTER_MS;
    this.#lastFault = e;
    this.#o.onError(e, `applying ${rows} journal rows (kept, retried in ${RETRY_AFTER_MS / 1000} s)`);
    return false;
  }

  /** A row that fails on its own stays in the journal, marked, and is counted; the rest go on. */
  #keepFailed(entry: JournalEntry, e: unknown): void {
    this.#o.onError(e, `applying journal row ${entry.seq} (kept in activation_journal)`);
    try {
      this.#markFailed.run(String(e instanceof Error ? e.message : e), entry.seq);
    } catch {
      // Unmarked, it is tried again at the next start; nothing is lost either way.
    }
  }

  /** Settles the waiters whose rows are applied; `all`: every waiter (an apply failed, or stopped). */
  #wake(all: boolean): void {
    if (this.#waiters.length === 0) return;
    const oldestPending = all ? Infinity : (this.#pending[0]?.seq ?? Infinity);
    const waiting: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.seq < oldestPending) w.resolve();
      else waiting.push(w);
    }
    this.#waiters = waiting;
  }

  #done(entries: JournalEntry[]): void {
    this.#stats.applies++;
    this.#stats.appliedItems += entries.length;
    try {
      this.#o.applied(entries.map((e) => e.item));
    } catch {
      // A listener's fault must not turn an applied batch into a failure.
    }
  }
}
