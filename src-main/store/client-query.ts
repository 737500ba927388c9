/**
 * Windowed reads of the client inventory for the console's live table and the CLI, on plain
 * SQLite: an index per sort column (column, cmid, group_key) for keyset paging, the trigram
 * full-text table `clients_text` for the text filter, and `client_totals` for exact counts of
 * product, state and VM. `group_key` (migration 4) names a client's product, state and VM in one
 * small integer, so a walk tests those filters in the index entry and reads only matching rows.
 *
 * One rule decides how a window is read. Each filter that can name its matches cheaply does so,
 * up to COUNT_CAP: the text through the full-text index, the product (with state and VM) through
 * client_totals and the group index, the seen-within cutoff through the last-seen index. When one
 * of them has at most COUNT_CAP matches, those rows are read, tested against the other filters and
 * sorted: the window and its total are exact. Otherwise matches are dense, and the window walks the
 * sort column's index, testing each row, and stops after offset + limit matches; its total is then
 * exact where client_totals knows it, and counted up to COUNT_CAP otherwise.
 */
import type { Database } from 'better-sqlite3';
import type { ClientRow, ClientWindow } from '../../shared/domain/records.js';
import { checkClientQuery, checkCursor, type ClientPageQuery } from './client-window-query.js';
import { CLIENT_COLUMNS, SQL_COLUMN, toClientRow, type ClientDbRow } from './client-row.js';
import { allRows, getRow, pluckAll, SyncSteps, type Param, type Steps } from './sql-steps.js';
import { GROUP_KEY_SQL } from './migrations/004-client-group-key.js';

export { CLIENT_COLUMNS, toClientRow, type ClientDbRow } from './client-row.js';
export {
  checkClientQuery,
  cursorOf,
  MAX_WINDOW_ROWS,
  type ClientCursor,
  type ClientPageQuery,
} from './client-window-query.js';

/**
 * How many matches a filter may list, and how far a count goes: "more than 10,000" is what a
 * person needs to refine a filter, and any window reads at most about this many rows.
 */
export const COUNT_CAP = 10_000;

/** Text shorter than a trigram cannot use the full-text index; it is tested row by row. */
const MIN_FTS_TEXT = 3;

export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** A CMID is stored only as GUID text, so only such a text can be in one. */
const CMID_TEXT = /^[0-9a-f-]+$/i;
/** An address is stored as IPv4 or IPv6 without a zone (normalizeAddress), or "unknown". */
const ADDRESS_TEXT = /^[0-9a-f.:]+$/i;

/**
 * The columns a text can be in at all, known from the text alone: "pc-1" cannot be in a CMID or
 * an address. A walk of the machine-name index then tests the text in the entry, reading no row.
 */
function textColumns(text: string): string[] {
  const columns = ['c.machine_name'];
  if (ADDRESS_TEXT.test(text) || 'unknown'.includes(text.toLowerCase())) columns.push('c.address');
  if (CMID_TEXT.test(text)) columns.push('c.cmid');
  return columns;
}

/** Three characters as the trigram tokenizer counts them: code points, not UTF-16 units. */
function searchable(text: string): boolean {
  return Array.from(text).length >= MIN_FTS_TEXT;
}

interface Filters {
  where: string[];
  params: Param[];
}

/** A small, exactly known set of candidate rows, and the SQL that lists them. */
interface Listing {
  from: string;
  params: Param[];
}

export class ClientQueries {
  readonly #sync: SyncSteps | undefined;
  readonly #cap: number;

  /**
   * `db`: a connection to run windows on synchronously (window()); without one, only the steps
   * (windowSteps()) are used, run elsewhere. `countCap` is lowered by tests so that a few hundred
   * clients reach it.
   */
  constructor(db?: Database, options: { countCap?: number } = {}) {
    this.#sync = db && new SyncSteps(db);
    this.#cap = options.countCap ?? COUNT_CAP;
  }

  #run<T>(steps: Steps<T>): T {
    if (!this.#sync) throw new Error('ClientQueries was made without a connection; run its steps instead');
    return this.#sync.run(steps);
  }

  count(): number {
    return this.#run(this.#count());
  }

  *#count(): Steps<number> {
    return (yield* getRow<{ n: number }>('SELECT COALESCE(SUM(n), 0) AS n FROM client_totals'))!.n;
  }

  /** `wholeCount`: count a dense filter up to the cap however far that reads (the CLI, where a person waits). */
  window(q: ClientPageQuery, now: number, options: { wholeCount?: boolean } = {}): ClientWindow {
    return this.#run(this.windowSteps(q, now, options));
  }

  /** The statements of one window, for a runner on another thread (console-reader.ts). */
  *windowSteps(q: ClientPageQuery, now: number, options: { wholeCount?: boolean } = {}): Steps<ClientWindow> {
    checkClientQuery(q);
    if (q.after !== undefined) checkCursor(q.after, q.sort.column);
    const f = q.filter;
    const text = f.text?.trim() || undefined;
    const cutoff = f.seenWithinMs === undefined ? undefined : now - f.seenWithinMs;
    const filters = this.#filters(q, text, cutoff);
    const groupTotal = yield* this.#groupTotal(q);
    if (groupTotal === 0) return { rows: [], total: 0, offset: q.offset };

    const textIds = text !== undefined && searchable(text) ? yield* this.#textMatches(text) : undefined;
    const listing =
      (textIds !== undefined && textIds.length <= this.#cap ? idListing(textIds) : undefined) ??
      (groupTotal !== undefined && groupTotal <= this.#cap ? this.#groupListing(q) : undefined) ??
      (cutoff !== undefined ? yield* this.#seenListing(cutoff) : undefined);
    if (listing) return yield* this.#readListed(q, listing, filters);
    const rows = yield* this.#walk(q, filters);
    const window: ClientWindow = { rows, total: 0, offset: q.offset };
    if (filters.where.length === 0) window.total = yield* this.#count();
    else if (
      text === undefined &&
      cutoff === undefined &&
      q.filter.lastResult === undefined &&
      groupTotal !== undefined
    )
      window.total = groupTotal;
    else if (textIds !== undefined && !options.wholeCount) {
      // A text in more than the cap of clients: count among the first cap + 1 it has, which
      // bounds what the console's count reads; the CLI (wholeCount) scans on instead.
      const listed = idListing(textIds);
      window.total = Math.min(yield* this.#countIn(listed, filters), this.#cap);
      window.totalIsLowerBound = true;
    } else {
      // The last-seen index holds the most of what filters test (group_key, name, address, CMID).
      const everyClient = { from: 'clients AS c INDEXED BY clients_by_last_seen', params: [] };
      const n = yield* this.#countIn(everyClient, filters, this.#cap + 1);
      window.total = Math.min(n, this.#cap);
      if (n > this.#cap) window.totalIsLowerBound = true;
    }
    return window;
  }

  /** Every filter as a test on a clients row (`c`). */
  #filters(q: ClientPageQuery, text: string | undefined, cutoff: number | undefined): Filters {
    const where: string[] = [];
    const params: Param[] = [];
    const group = groupTerms(q, '');
    if (group.where.length) {
      // First the key, which the sort indexes hold, so most rows are ruled out without being read;
      // then the columns themselves, as two products may share a key.
      where.push(
        `c.group_key IN (SELECT DISTINCT ${GROUP_KEY_SQL} FROM client_totals WHERE n > 0 AND ${group.where.join(' AND ')})`,
      );
      params.push(...group.params);
      where.push(...groupTerms(q, 'c.').where);
      params.push(...group.params);
    }
    if (q.filter.lastResult !== undefined) {
      where.push('c.last_result = ?');
      params.push(q.filter.lastResult);
    }
    if (cutoff !== undefined) {
      where.push('c.last_seen >= ?');
      params.push(cutoff);
    }
    if (text !== undefined) {
      // LIKE is the definition of a match (ASCII case folding); the full-text index only narrows.
      const columns = textColumns(text);
      where.push(`(${columns.map((col) => `${col} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      params.push(...columns.map(() => likePattern(text)));
    }
    return { where, params };
  }

  /** Clients of the product/state/VM filter, exactly, from client_totals; undefined without one. */
  *#groupTotal(q: ClientPageQuery): Steps<number | undefined> {
    const { where, params } = groupTerms(q, '');
    if (where.length === 0) return undefined;
    const sql = `SELECT COALESCE(SUM(n), 0) AS n FROM client_totals WHERE ${where.join(' AND ')}`;
    return (yield* getRow<{ n: number }>(sql, params))!.n;
  }

  /** Up to the cap + 1 rowids whose text may hold `text` (the full-text index folds more case than LIKE). */
  *#textMatches(text: string): Steps<number[]> {
    return yield* pluckAll<number>('SELECT rowid AS id FROM clients_text WHERE clients_text MATCH ? LIMIT ?', [
      ftsPhrase(text),
      this.#cap + 1,
    ]);
  }

  /** The rows of one product (with state and VM) through the group index; only with a product. */
  #groupListing(q: ClientPageQuery): Listing | undefined {
    if (q.filter.productId === undefined) return undefined;
    return { from: 'clients AS c INDEXED BY clients_by_group', params: [] };
  }

  /** The clients seen since the cutoff, when the last-seen index holds at most the cap of them. */
  *#seenListing(cutoff: number): Steps<Listing | undefined> {
    const n = (yield* getRow<{ n: number }>(
      'SELECT COUNT(*) AS n FROM (SELECT 1 FROM clients INDEXED BY clients_by_last_seen WHERE last_seen >= ? LIMIT ?)',
      [cutoff, this.#cap + 1],
    ))!;
    if (n.n > this.#cap) return undefined;
    return { from: 'clients AS c INDEXED BY clients_by_last_seen', params: [] };
  }

  #order(q: ClientPageQuery): { order: string; keyset: string; keysetParams: Param[] } {
    const col = `c.${SQL_COLUMN[q.sort.column]}`;
    const dir = q.sort.direction === 'asc' ? 'ASC' : 'DESC';
    const order = `ORDER BY ${col} ${dir}, c.cmid ${dir}`;
    if (q.after === undefined) return { order, keyset: '', keysetParams: [] };
    const op = q.sort.direction === 'asc' ? '>' : '<';
    return {
      order,
      keyset: `(${col} ${op} ? OR (${col} = ? AND c.cmid ${op} ?))`,
      keysetParams: [q.after.value, q.after.value, q.after.cmid],
    };
  }

  /** A known small set: read it, test it, sort it. The total is exact. */
  *#readListed(q: ClientPageQuery, listing: Listing, filters: Filters): Steps<ClientWindow> {
    const { order, keyset, keysetParams } = this.#order(q);
    const where = filters.where.length ? filters.where.join(' AND ') : '1';
    const total = yield* this.#countIn(listing, filters);
    const rows = yield* allRows<ClientDbRow>(
      `SELECT ${prefixed(CLIENT_COLUMNS)} FROM ${listing.from} WHERE ${where}${keyset ? ` AND ${keyset}` : ''} ${order} LIMIT ? OFFSET ?`,
      [...listing.params, ...filters.params, ...keysetParams, q.limit, q.offset],
    );
    return { rows: rows.map(toClientRow), total, offset: q.offset };
  }

  /** Rows of `from` that pass every filter, counted up to `limit` when given. */
  *#countIn(from: Listing, filters: Filters, limit?: number): Steps<number> {
    const where = filters.where.length ? filters.where.join(' AND ') : '1';
    const sql =
      limit === undefined
        ? `SELECT COUNT(*) AS n FROM ${from.from} WHERE ${where}`
        : `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${from.from} WHERE ${where} LIMIT ?)`;
    const params =
      limit === undefined ? [...from.params, ...filters.params] : [...from.params, ...filters.params, limit];
    return (yield* getRow<{ n: number }>(sql, params))!.n;
  }

  /** Dense matches: walk the sort column's index, testing each row, and stop after the window. */
  *#walk(q: ClientPageQuery, filters: Filters): Steps<ClientRow[]> {
    const { order, keyset, keysetParams } = this.#order(q);
    const index = ` INDEXED BY clients_by_${SQL_COLUMN[q.sort.column]}`;
    const conds = [...filters.where, ...(keyset ? [keyset] : [])];
    const where = conds.length ? conds.join(' AND ') : '1';
    const rows = yield* allRows<ClientDbRow>(
      `SELECT ${prefixed(CLIENT_COLUMNS)} FROM clients AS c${index} WHERE ${where} ${order} LIMIT ? OFFSET ?`,
      [...filters.params, ...keysetParams, q.limit, q.offset],
    );
    return rows.map(toClientRow);
  }
}

/** The product, state and VM filters as tests on columns of that name (of `prefix`). */
function groupTerms(q: ClientPageQuery, prefix: string): Filters {
  const f = q.filter;
  const where: string[] = [];
  const params: Param[] = [];
  if (f.productId !== undefined) {
    where.push(`${prefix}product_id = ?`);
    params.push(f.productId.toLowerCase());
  }
  if (f.licenseState !== undefined) {
    where.push(`${prefix}license_state = ?`);
    params.push(f.licenseState);
  }
  if (f.isVm !== undefined) {
    where.push(`${prefix}is_vm = ?`);
    params.push(f.isVm ? 1 : 0);
  }
  return { where, params };
}

function idListing(ids: number[]): Listing {
  return { from: 'json_each(?) AS j CROSS JOIN clients AS c ON c.rowid = j.value', params: [JSON.stringify(ids)] };
}

function prefixed(columns: string): string {
  return columns
    .split(',')
    .map((c) => `c.${c.trim()}`)
    .join(', ');
}
