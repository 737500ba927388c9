/**
 * Windowed reads of the client inventory for the console's live table and the CLI. Every sort
 * column has an index ending in cmid, so a window is read in index order and stops after
 * offset + limit matching rows. The total for filters on product, license state and VM comes from
 * `client_totals` (a few rows); only text and seen-within filters count matching rows.
 */
import type { Database, Statement } from 'better-sqlite3';
import {
  CLIENT_SORT_COLUMNS,
  type ClientRow,
  type ClientSortColumn,
  type ClientWindow,
  type ClientWindowQuery,
  type RequestResult,
} from '../../shared/domain/records.js';
import { isLicenseState, type LicenseState } from '../../shared/domain/license-state.js';
import { QuorumError } from '../../shared/domain/errors.js';

const SQL_COLUMN: Readonly<Record<ClientSortColumn, string>> = {
  machineName: 'machine_name',
  address: 'address',
  productName: 'product_name',
  licenseState: 'license_state',
  isVm: 'is_vm',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
  requestCount: 'request_count',
  lastResult: 'last_result',
  cmid: 'cmid',
};

/** The largest window one query may ask for; the console pages, it never pulls the table. */
export const MAX_WINDOW_ROWS = 1000;

export const CLIENT_COLUMNS =
  'cmid, machine_name, address, product_id, product_name, application_id, license_state, is_vm, first_seen, last_seen, request_count, last_result';

export interface ClientDbRow {
  cmid: string;
  machine_name: string;
  address: string;
  product_id: string;
  product_name: string;
  application_id: string;
  license_state: number;
  is_vm: number;
  first_seen: number;
  last_seen: number;
  request_count: number;
  last_result: string;
}

export function toClientRow(r: ClientDbRow): ClientRow {
  return {
    cmid: r.cmid,
    machineName: r.machine_name,
    address: r.address,
    productId: r.product_id,
    productName: r.product_name,
    applicationId: r.application_id,
    licenseState: r.license_state as LicenseState,
    isVm: r.is_vm === 1,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    requestCount: r.request_count,
    lastResult: r.last_result as RequestResult,
  };
}

function invalid(message: string): QuorumError {
  return new QuorumError('STORE_BAD_QUERY', message, 'This is a bug in the caller; the query was not run.');
}

/** Checks a query that may have crossed a process boundary; the console validates too, this is the last line. */
export function checkClientQuery(q: ClientWindowQuery): void {
  if (!Number.isInteger(q.offset) || q.offset < 0)
    throw invalid(`offset must be a whole number >= 0; got ${q.offset}.`);
  if (!Number.isInteger(q.limit) || q.limit < 0 || q.limit > MAX_WINDOW_ROWS) {
    throw invalid(`limit must be a whole number from 0 to ${MAX_WINDOW_ROWS}; got ${q.limit}.`);
  }
  if (!(CLIENT_SORT_COLUMNS as readonly string[]).includes(q.sort.column)) {
    throw invalid(`Cannot sort by "${q.sort.column}"; columns: ${CLIENT_SORT_COLUMNS.join(', ')}.`);
  }
  if (q.sort.direction !== 'asc' && q.sort.direction !== 'desc') throw invalid('sort direction must be asc or desc.');
  const f = q.filter;
  if (f.licenseState !== undefined && !isLicenseState(f.licenseState)) {
    throw invalid(`licenseState filter must be 0..6; got ${f.licenseState}.`);
  }
  if (f.seenWithinMs !== undefined && !(Number.isFinite(f.seenWithinMs) && f.seenWithinMs >= 0)) {
    throw invalid(`seenWithinMs must be a number >= 0; got ${f.seenWithinMs}.`);
  }
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface Where {
  sql: string;
  params: (string | number)[];
  /** True when client_totals can answer the count. */
  totalsOnly: boolean;
}

function buildWhere(q: ClientWindowQuery, now: number): Where {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const f = q.filter;
  if (f.productId !== undefined) {
    parts.push('product_id = ?');
    params.push(f.productId.toLowerCase());
  }
  if (f.licenseState !== undefined) {
    parts.push('license_state = ?');
    params.push(f.licenseState);
  }
  if (f.isVm !== undefined) {
    parts.push('is_vm = ?');
    params.push(f.isVm ? 1 : 0);
  }
  let totalsOnly = true;
  if (f.seenWithinMs !== undefined) {
    parts.push('last_seen >= ?');
    params.push(now - f.seenWithinMs);
    totalsOnly = false;
  }
  const text = f.text?.trim();
  if (text) {
    const p = likePattern(text);
    parts.push("(machine_name LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\' OR cmid LIKE ? ESCAPE '\\')");
    params.push(p, p, p);
    totalsOnly = false;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params, totalsOnly };
}

export class ClientQueries {
  readonly #db: Database;
  readonly #cache = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
  }

  #prepare(sql: string): Statement {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }

  window(q: ClientWindowQuery, now: number): ClientWindow {
    checkClientQuery(q);
    const where = buildWhere(q, now);
    const col = SQL_COLUMN[q.sort.column];
    const dir = q.sort.direction === 'desc' ? 'DESC' : 'ASC';
    const order = col === 'cmid' ? `cmid ${dir}` : `${col} ${dir}, cmid ${dir}`;
    const sql = `SELECT ${CLIENT_COLUMNS} FROM clients ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`;
    const rows = (this.#prepare(sql).all(...where.params, q.limit, q.offset) as ClientDbRow[]).map(toClientRow);
    return { rows, total: this.#total(q, where), offset: q.offset };
  }

  #total(q: ClientWindowQuery, where: Where): number {
    if (where.totalsOnly) {
      const sql = `SELECT COALESCE(SUM(n), 0) AS n FROM client_totals ${where.sql}`;
      return (this.#prepare(sql).get(...where.params) as { n: number }).n;
    }
    return (this.#prepare(`SELECT COUNT(*) AS n FROM clients ${where.sql}`).get(...where.params) as { n: number }).n;
  }

  count(): number {
    return (this.#prepare('SELECT COALESCE(SUM(n), 0) AS n FROM client_totals').get() as { n: number }).n;
  }
}
