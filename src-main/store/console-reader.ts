/**
 * The console's reads (client windows, the request log) on a thread of their own, with their own
 * read-only connection: however slow a window is, the thread that answers activations never waits
 * for it. A read runs as SQL steps (sql-steps.ts) inside one read transaction, so its count and its
 * rows come from one snapshot of the database (WAL keeps it while the writer commits).
 *
 * Where the thread cannot be had (an in-memory database, a bundle without the driver), reads run
 * on the caller's thread as before: slower for activations, never wrong.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sqliteOptions } from './sqlite-binding.js';
import type { ClientWindow, ClientWindowQuery } from '../../shared/domain/records.js';
import { ClientQueries } from './client-query.js';
import { requestLogSteps } from './request-log.js';
import type { SqlStep, Steps } from './sql-steps.js';
import { storeError } from './store-errors.js';
import type { RequestLogQuery, RequestLogWindow } from './types.js';

// Plain CommonJS so the worker needs no TypeScript loader, in tests, the CLI and Electron alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// On Linux this thread's own nice value (its task id is a pid to setpriority): a read, however
// long, gives the CPU to the thread that answers activations whenever that thread wants it.
if (workerData.nice) {
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, workerData.nice);
  } catch {}
}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: workerData.busyTimeoutMs, ...workerData.sqlite });
const cache = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let result;
    if (m.type === 'begin') db.exec('BEGIN');
    else if (m.type === 'end') { if (db.inTransaction) db.exec('COMMIT'); }
    else {
      const key = m.step.mode + '\\u0000' + m.step.sql;
      let s = cache.get(key);
      if (!s) {
        s = db.prepare(m.step.sql);
        if (m.step.mode === 'pluck') s.pluck();
        cache.set(key, s);
      }
      result = m.step.mode === 'get' ? s.get(...m.step.params) : s.all(...m.step.params);
    }
    parentPort.postMessage({ id: m.id, result });
  } catch (e) {
    if (db.inTransaction) try { db.exec('ROLLBACK'); } catch {}
    parentPort.postMessage({ id: m.id, error: { message: String((e && e.message) || e), code: e && e.code } });
  }
});
`;

/** The reader thread's nice value: below every thread of the process it belongs to (0 unless set). */
const READER_NICE = 10;

type Message = { type: 'begin' | 'end' } | { type: 'step'; step: SqlStep };
type Reply = { id: number; result?: unknown; error?: { message: string; code?: string } };

export interface ConsoleReaderOptions {
  file: string;
  busyTimeoutMs?: number;
  /** Runs steps on the caller's thread: the fallback, and what a read does before the worker is up. */
  runHere: <T>(steps: Steps<T>) => T;
  /** Before each read: settles once the writer has applied what its journal holds, so a read sees every reply sent. */
  beforeRead?: () => Promise<void>;
  now: () => number;
}

export class ConsoleReader {
  readonly #o: ConsoleReaderOptions;
  readonly #queries = new ClientQueries();
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #worker: Worker | null = null;
  #nextId = 1;
  /** Reads run one after another: each holds its read transaction from its first step to its last. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: ConsoleReaderOptions) {
    this.#o = options;
    this.#worker = this.#start();
  }

  /** Whether reads run on their own thread (false: on the caller's). */
  get offThread(): boolean {
    return this.#worker !== null;
  }

  queryClients(query: ClientWindowQuery): Promise<ClientWindow> {
    return this.read('reading the client table', this.#queries.windowSteps(query, this.#o.now()));
  }

  queryRequestLog(query: RequestLogQuery): Promise<RequestLogWindow> {
    return this.read('reading the request log', requestLogSteps({ ...query, newestFirst: query.newestFirst ?? true }));
  }

  /** Runs any read's steps in one snapshot, in turn with the others. */
  read<T>(doing: string, steps: Steps<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (!this.#worker) return this.#o.runHere(steps);
      await this.#o.beforeRead?.();
      await this.#send({ type: 'begin' });
      try {
        let next = steps.next();
        while (!next.done) next = steps.next(await this.#send({ type: 'step', step: next.value }));
        return next.value;
      } finally {
        await this.#send({ type: 'end' }).catch(() => undefined);
      }
    };
    const result = this.#queue.then(run, run).catch((e: unknown) => {
      throw storeError(this.#o.file, e, doing);
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker?.postMessage({ type: 'close' });
    this.#worker = null;
    this.#failAll(new Error('the console reader was closed'));
  }

  #send(message: Message): Promise<unknown> {
    const worker = this.#worker;
    if (!worker) return Promise.reject(new Error('the console reader has stopped'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  #start(): Worker | null {
    if (this.#o.file === ':memory:' || this.#o.file === '') return null;
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          file: this.#o.file,
          busyTimeoutMs: this.#o.busyTimeoutMs ?? 5000,
          sqlite: sqliteOptions(),
          nice: process.platform === 'linux' ? READER_NICE : 0,
        },
      });
      worker.unref();
      worker.on('message', (reply: Reply) => {
        const p = this.#pending.get(reply.id);
        if (!p) return;
        this.#pending.delete(reply.id);
        if (reply.error) p.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
        else p.resolve(reply.result);
      });
      const stop = (e: unknown) => {
        // Reads in flight fail once; later ones run on the caller's thread.
        this.#worker = null;
        this.#failAll(e);
      };
      worker.on('error', stop);
      worker.on('exit', () => stop(new Error('the console reader thread stopped')));
      return worker;
    } catch {
      return null;
    }
  }

  #failAll(e: unknown): void {
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}
