/**
 * WAL checkpoints off the activation path. SQLite's automatic checkpoint runs inside the commit
 * that crosses the threshold and, with synchronous=NORMAL, fsyncs the WAL and the database there:
 * 5-30 ms of the event loop every ~50 commits, the largest part of a commit's average cost. Here
 * the writer connection never checkpoints by itself; a worker thread with its own connection runs
 * PASSIVE checkpoints (which never block the writer) while activations keep committing.
 *
 * Durability is unchanged: a commit is in the WAL before its caller is told, exactly as before;
 * a checkpoint only copies committed pages into the main file.
 *
 * The WAL restarts from its beginning only when a checkpoint has copied every frame, so under
 * unbroken load a background checkpoint is always a little behind and the file would grow. When
 * the worker reports a WAL above `walLimitFrames`, the writer checkpoints once itself, between two
 * commits, where it always completes: a few ms once per ~4,000 frames, most of them already copied by the worker.
 */
import type { Database } from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sqliteOptions } from './sqlite-binding.js';

export interface CheckpointerOptions {
  db: Database;
  file: string;
  busyTimeoutMs: number;
  /**
   * Commits after which a background checkpoint is requested (default 512). A checkpoint copies
   * each page changed since the last one once, however many commits rewrote it, and syncs both
   * files; the journal's tail, the counters and the hot index pages are rewritten by nearly every
   * commit, so a rarer checkpoint copies them fewer times. Every commit adds at least one frame,
   * so this is at least SQLite's own threshold of ~1,000 frames at a few frames per commit.
   */
  commitsPerCheckpoint?: number;
  /** WAL frames above which the writer checkpoints itself (default 4096, ~16 MB). */
  walLimitFrames?: number;
}

export interface CheckpointStats {
  background: number;
  inline: number;
  lastWalFrames: number;
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// Plain CommonJS so the worker needs no TypeScript loader, in tests, the CLI and Electron alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeoutMs, ...workerData.sqlite });
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    Atomics.store(workerData.closed, 0, 1);
    Atomics.notify(workerData.closed, 0);
    parentPort.close();
    return;
  }
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
});
`;

export class Checkpointer {
  readonly #o: Required<CheckpointerOptions>;
  #worker: Worker | null = null;
  #closedFlag: Int32Array | null = null;
  #inFlight = false;
  #commits = 0;
  /** Commits since the WAL was last known to be fully copied (then it restarts at the next commit). */
  #behind = 0;
  #walFrames = 0;
  /**
   * No inline checkpoint before `#behind` reaches this. A reader that holds an old snapshot (the
   * console reading in a loop) stops any checkpoint short of the newest frames; trying again at
   * every commit would put a checkpoint and its syncs on every reply until the reader moves on.
   */
  #inlineAfter = 0;
  #closed = false;
  readonly #stats: CheckpointStats = { background: 0, inline: 0, lastWalFrames: 0 };

  constructor(options: CheckpointerOptions) {
    this.#o = { commitsPerCheckpoint: 512, walLimitFrames: 4096, ...options };
    options.db.pragma('wal_autocheckpoint = 0');
  }

  get stats(): CheckpointStats {
    return { ...this.#stats, lastWalFrames: this.#walFrames };
  }

  /** Called after every commit of the writer connection. */
  committed(): void {
    if (this.#closed) return;
    this.#commits++;
    this.#behind++;
    // While the worker checkpoints, this one finds the checkpoint lock taken and returns at once.
    // Counting commits bounds the WAL also while the worker starts or lags, before it reports:
    // every commit adds at least one frame, so this many commits are at least the frame limit.
    const overLimit = this.#walFrames >= this.#o.walLimitFrames || this.#behind >= this.#o.walLimitFrames;
    if (overLimit && this.#behind >= this.#inlineAfter) {
      this.#checkpointInline();
    } else if (!this.#inFlight && this.#commits >= this.#o.commitsPerCheckpoint) this.#request();
  }

  /** Stops the worker and waits (bounded) until its connection is closed, so the writer's close is the last one. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const worker = this.#worker;
    const flag = this.#closedFlag;
    if (!worker || !flag) return;
    worker.postMessage('close');
    // A checkpoint in progress finishes first; it is bounded by the WAL size.
    Atomics.wait(flag, 0, 0, 5_000);
    void worker.terminate();
  }

  #request(): void {
    const worker = this.#worker ?? this.#start();
    if (!worker) {
      this.#checkpointInline();
      return;
    }
    this.#inFlight = true;
    this.#commits = 0;
    worker.postMessage('checkpoint');
  }

  #start(): Worker | null {
    try {
      this.#closedFlag = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          // Resolved here, not at import: where it cannot be (a bundle without it), the writer
          // falls back to SQLite's own checkpoints instead of failing to load the store.
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          file: this.#o.file,
          busyTimeoutMs: this.#o.busyTimeoutMs,
          sqlite: sqliteOptions(),
          closed: this.#closedFlag,
        },
      });
      worker.unref();
      worker.on('message', (m: CheckpointResult | { error: string }) => {
        this.#inFlight = false;
        if ('error' in m) return;
        this.#stats.background++;
        // `log` is the WAL as the checkpoint found it; commits since then came after it, so the
        // WAL is known to be fully copied (and restarts at the next commit) only without them.
        if (m.checkpointed === m.log && this.#commits === 0) this.#behind = this.#inlineAfter = 0;
        this.#walFrames = this.#behind === 0 ? 0 : m.log;
      });
      worker.on('error', () => this.#fallBack());
      worker.on('exit', () => this.#fallBack());
      this.#worker = worker;
      return worker;
    } catch {
      this.#fallBack();
      return null;
    }
  }

  /** Without a worker the writer checkpoints as SQLite would by itself. */
  #fallBack(): void {
    this.#inFlight = false;
    if (this.#closed) return;
    this.#worker = null;
    this.#o.db.pragma('wal_autocheckpoint = 1000');
    this.#closed = true;
  }

  #checkpointInline(): void {
    try {
      const r = (this.#o.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[])[0];
      if (!r || r.busy) return;
      this.#stats.inline++;
      this.#commits = 0;
      if (r.checkpointed === r.log) this.#behind = 0;
      this.#walFrames = this.#behind === 0 ? 0 : r.log;
      // Stopped short by a reader: the next inline try waits for as many commits again.
      this.#inlineAfter = this.#behind === 0 ? 0 : this.#behind + this.#o.walLimitFrames;
    } catch {
      // A failed checkpoint loses nothing; the next commit's turn tries again.
    }
  }
}
