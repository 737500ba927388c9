/**
 * A read as a sequence of SQL statements, each chosen after the previous one's answer: a generator
 * that yields the statements and receives their results. The same read then runs synchronously on
 * a connection of this thread (the CLI, tests) or, one statement at a time, on the console
 * reader's thread (console-reader.ts), without being written twice.
 */
import type { Database, Statement } from 'better-sqlite3';

export type Param = string | number;

export interface SqlStep {
  /** `get`: the first row or undefined; `all`: every row; `pluck`: the first column of every row. */
  mode: 'get' | 'all' | 'pluck';
  sql: string;
  params: Param[];
}

export type Steps<T> = Generator<SqlStep, T, unknown>;

export function* getRow<T>(sql: string, params: Param[] = []): Steps<T | undefined> {
  return (yield { mode: 'get', sql, params }) as T | undefined;
}

export function* allRows<T>(sql: string, params: Param[] = []): Steps<T[]> {
  return (yield { mode: 'all', sql, params }) as T[];
}

export function* pluckAll<T>(sql: string, params: Param[] = []): Steps<T[]> {
  return (yield { mode: 'pluck', sql, params }) as T[];
}

/** Runs steps on a connection of this thread, with its statements prepared once. */
export class SyncSteps {
  readonly #cache = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  run<T>(steps: Steps<T>): T {
    let next = steps.next();
    while (!next.done) next = steps.next(this.execute(next.value));
    return next.value;
  }

  execute(step: SqlStep): unknown {
    const key = `${step.mode}\u0000${step.sql}`;
    let s = this.#cache.get(key);
    if (!s) {
      s = this.db.prepare(step.sql);
      if (step.mode === 'pluck') s.pluck();
      this.#cache.set(key, s);
    }
    return step.mode === 'get' ? s.get(...step.params) : s.all(...step.params);
  }
}
