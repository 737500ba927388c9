/**
 * The request log: newest-first windows, and retention by age and row count. Pruning always
 * removes the oldest ids, a few hundred per commit, so the log stays a contiguous id range (its
 * size is max - min + 1, read from the primary key in O(log n)) and no commit ever stalls on it.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { LicenseState } from '../../shared/domain/license-state.js';
import type { RequestLogEntry, RequestResult } from '../../shared/domain/records.js';
import { DAY_MS } from '../../shared/domain/timings.js';
import type { RequestLogQuery, RequestLogWindow } from './types.js';
import { allRows, getRow, type Steps } from './sql-steps.js';

export interface RetentionOptions {
  maxAgeDays?: number;
  maxRows?: number;
}

export const DEFAULT_RETENTION = { maxAgeDays: 90, maxRows: 1_000_000 } as const;

/** The values a stored retention setting may take (docs/operations.md, "Settings"); others are not applied. */
export const RETENTION_BOUNDS = {
  maxAgeDays: { min: 1, max: 36_500 },
  maxRows: { min: 1_000, max: 100_000_000 },
} as const;

interface LogRow {
  id: number;
  at: number;
  result: string;
  count_needed: number;
  count: number;
  machine_name: string;
  address: string;
  cmid: string;
  client_time: number;
  is_vm: number;
  license_state: number;
  remaining_minutes: number;
  product_id: string;
}

export const REQUEST_LOG_COLUMNS =
  'id, at, result, count_needed, count, machine_name, address, cmid, client_time, is_vm, license_state, remaining_minutes, product_id';

export function toRequestLogEntry(r: LogRow): RequestLogEntry {
  return {
    id: r.id,
    at: r.at,
    result: r.result as RequestResult,
    countNeeded: r.count_needed,
    count: r.count,
    machineName: r.machine_name,
    address: r.address,
    cmid: r.cmid,
    clientTime: r.client_time,
    isVm: r.is_vm === 1,
    licenseState: r.license_state as LicenseState,
    remainingMinutes: r.remaining_minutes,
    productId: r.product_id,
  };
}

/** A window of the request log as statements, for the console reader's thread. */
export function* requestLogSteps(q: RequestLogQuery): Steps<RequestLogWindow> {
  const order = q.newestFirst === false ? 'ORDER BY id' : 'ORDER BY id DESC';
  const rows = yield* allRows<LogRow>(`SELECT ${REQUEST_LOG_COLUMNS} FROM request_log ${order} LIMIT ? OFFSET ?`, [
    q.limit,
    q.offset,
  ]);
  const range = (yield* getRow<{ lo: number | null; hi: number | null }>(RANGE_SQL))!;
  const total = range.lo === null || range.hi === null ? 0 : range.hi - range.lo + 1;
  return { rows: rows.map(toRequestLogEntry), total, offset: q.offset };
}

// Two subqueries: SQLite answers a lone MIN or MAX from the b-tree's edge, but both in one SELECT
// would scan the whole table.
const RANGE_SQL = 'SELECT (SELECT MIN(id) FROM request_log) AS lo, (SELECT MAX(id) FROM request_log) AS hi';

export class RequestLog {
  readonly #range: Statement;
  readonly #oldest: Statement;
  readonly #firstYoung: Statement;
  readonly #deleteThrough: Statement;
  readonly #newestFirst: Statement;
  readonly #oldestFirst: Statement;

  constructor(db: Database) {
    this.#range = db.prepare(RANGE_SQL);
    this.#oldest = db.prepare('SELECT at FROM request_log ORDER BY id LIMIT 1');
    this.#firstYoung = db.prepare('SELECT id FROM request_log WHERE id <= ? AND at >= ? ORDER BY id LIMIT 1');
    this.#deleteThrough = db.prepare('DELETE FROM request_log WHERE id <= ?');
    this.#newestFirst = db.prepare(`SELECT ${REQUEST_LOG_COLUMNS} FROM request_log ORDER BY id DESC LIMIT ? OFFSET ?`);
    this.#oldestFirst = db.prepare(`SELECT ${REQUEST_LOG_COLUMNS} FROM request_log ORDER BY id LIMIT ? OFFSET ?`);
  }

  count(): number {
    const { lo, hi } = this.#range.get() as { lo: number | null; hi: number | null };
    return lo === null || hi === null ? 0 : hi - lo + 1;
  }

  query(q: RequestLogQuery): RequestLogWindow {
    const stmt = q.newestFirst === false ? this.#oldestFirst : this.#newestFirst;
    const rows = (stmt.all(q.limit, q.offset) as LogRow[]).map(toRequestLogEntry);
    return { rows, total: this.count(), offset: q.offset };
  }

  /** Deletes at most `budget` of the oldest rows that are past retention. Returns how many. */
  prune(now: number, retention: Required<RetentionOptions>, budget: number): number {
    const { lo, hi } = this.#range.get() as { lo: number | null; hi: number | null };
    if (lo === null || hi === null) return 0;
    // Over the row limit: everything up to hi - maxRows goes, oldest first.
    let through = Math.min(hi - retention.maxRows, lo + budget - 1);
    const cutoff = now - retention.maxAgeDays * DAY_MS;
    // Usually the oldest entry is young enough and this is one b-tree probe.
    const oldest = this.#oldest.get() as { at: number };
    if (oldest.at < cutoff) {
      const last = lo + budget - 1;
      const young = this.#firstYoung.get(last, cutoff) as { id: number } | undefined;
      through = Math.max(through, young ? young.id - 1 : last);
    }
    if (through < lo) return 0;
    return this.#deleteThrough.run(through).changes;
  }
}
