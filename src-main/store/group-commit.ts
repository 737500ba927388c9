/**
 * Group commit: everything queued in the same turn of the event loop is written in one
 * transaction, and each caller's promise settles only after that transaction has committed (or
 * failed). One fsync-free WAL commit then carries many activations, which is where the write
 * throughput comes from.
 */
export interface GroupCommitOptions<T> {
  /** Writes the batch; must run it in one transaction and throw if it did not commit. */
  writeBatch(items: T[]): void;
  /** Called after a batch committed, with its items in order. */
  committed(items: T[]): void;
  /** Upper bound on items per transaction, so one commit never stalls the event loop for long. */
  maxBatch: number;
  /** Turns a thrown value into the error each waiting caller receives. */
  toError(e: unknown): Error;
  /**
   * Whether a failed batch is worth retrying item by item (an item-specific fault). A lock, a full
   * disk or a damaged file fails every item alike: retrying each would only multiply the wait.
   */
  retryItems?(e: unknown): boolean;
}

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface GroupCommitStats {
  commits: number;
  items: number;
  largestBatch: number;
  failedItems: number;
}

export class GroupCommitter<T> {
  readonly #opts: GroupCommitOptions<T>;
  #queue: Pending<T>[] = [];
  #scheduled = false;
  #closed = false;
  readonly #stats: GroupCommitStats = { commits: 0, items: 0, largestBatch: 0, failedItems: 0 };

  constructor(opts: GroupCommitOptions<T>) {
    if (!Number.isInteger(opts.maxBatch) || opts.maxBatch < 1) throw new Error('maxBatch must be a positive integer.');
    this.#opts = opts;
  }

  get stats(): GroupCommitStats {
    return { ...this.#stats };
  }

  get pending(): number {
    return this.#queue.length;
  }

  enqueue(item: T): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The store is closed; the activation was not recorded.'));
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#drain());
      }
    });
  }

  /** Writes everything queued now, synchronously (used by close). */
  flush(): void {
    while (this.#queue.length > 0) this.#commitNext();
  }

  close(): void {
    this.flush();
    this.#closed = true;
  }

  #drain(): void {
    this.#scheduled = false;
    this.#commitNext();
    if (this.#queue.length > 0) {
      // Leave the rest for the next turn so sockets and timers get the loop in between.
      this.#scheduled = true;
      setImmediate(() => this.#drain());
    }
  }

  #commitNext(): void {
    const batch = this.#queue.splice(0, this.#opts.maxBatch);
    if (batch.length === 0) return;
    try {
      this.#opts.writeBatch(batch.map((p) => p.item));
      this.#settle(batch);
    } catch (e) {
      if (batch.length === 1 || this.#opts.retryItems?.(e) === false) {
        this.#stats.failedItems += batch.length;
        const err = this.#opts.toError(e);
        for (const p of batch) p.reject(err);
        return;
      }
      // One bad item must not lose the others: retry them one transaction each.
      for (const p of batch) {
        try {
          this.#opts.writeBatch([p.item]);
          this.#settle([p]);
        } catch (e) {
          this.#stats.failedItems++;
          p.reject(this.#opts.toError(e));
        }
      }
    }
  }

  #settle(done: Pending<T>[]): void {
    this.#stats.commits++;
    this.#stats.items += done.length;
    this.#stats.largestBatch = Math.max(this.#stats.largestBatch, done.length);
    for (const p of done) p.resolve();
    try {
      this.#opts.committed(done.map((p) => p.item));
    } catch {
      // A listener's fault must not turn a committed write into a reported failure.
    }
  }
}
