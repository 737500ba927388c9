/**
 * Windowed reads of the client inventory for the console's live table and the CLI, on plain
 * SQLite: an index per sort column (column, cmid) for keyset paging, the text rule of
 * client-text.ts, and `client_totals` for exact counts of product, state and VM.
 *
 * One rule decides how a window is read. A filter that can name its matches cheaply lists them,
 * up to COUNT_CAP when it is the window's only filter and up to one client in LIST_SHARE when
 * others are tested against it: the seen-within cutoff through the last-seen index (first: its
 * entries hold what the other filters test), else the smaller of the text's candidates and the
 * product's clients (with state and VM, through client_totals and the group index). A listed
 * window is read, tested and sorted, and its total is exact. Without a list, matches are dense,
 * and the window walks the sort column's index, testing each entry, and stops after offset +
 * limit matches; its total is then exact where client_totals knows it, and counted up to
 * COUNT_CAP otherwise.
 */
import type { Database } from 'better-sqlite3';
import type { ClientRow, ClientWindow } from '../../shared/domain/records.js';
import { checkClientQuery, checkCursor, type ClientPageQuery } from './client-window-query.js';
import { CLIENT_COLUMNS, SQL_COLUMN, sortIndex, toClientRow, type ClientDbRow } from './client-row.js';
import { allRows, getRow, SyncSteps, type Param, type Steps } from './sql-steps.js';
import { textCandidates, textTest } from './client-text.js';

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

/**
 * A filter that the window's other filters are tested against may list up to one client in this
 * many (at least COUNT_CAP). Filters that are rare together, however common each is, make a walk
 * of the sort index read far, up to all of it; a list of a fixed share of the clients costs a
 * fixed share of that.
 */
export const LIST_SHARE = 20;

export interface WindowOptions {
  /** Count a dense filter up to the cap however far that reads (the CLI, where a person waits). */
  wholeCount?: boolean;
  /** false: the rows only, for a reader that pages through them all (an export); the total is a lower bound. */
  count?: false;
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

  window(q: ClientPageQuery, now: number, options: WindowOptions = {}): ClientWindow {
    return this.#run(this.windowSteps(q, now, options));
  }

  /** The statements of one window, for a runner on another thread (console-reader.ts). */
  *windowSteps(q: ClientPageQuery, now: number, options: WindowOptions = {}): Steps<ClientWindow> {
    checkClientQuery(q);
    if (q.after !== undefined) checkCursor(q.after, q.sort.column);
    const f = q.filter;
    const text = f.text?.trim() || undefined;
    const cutoff = f.seenWithinMs === undefined ? undefined : now - f.seenWithinMs;
    const groupTotal = yield* this.#groupTotal(q);
    if (groupTotal === 0) return { rows: [], total: 0, offset: q.offset };

    // One filter alone with more matches than the cap is dense, and a walk of the sort index soon
    // fills the window. Filters together may be rare however common each is, and a walk would
    // read until it has found the window or reached the index's end: they list more.
    const filterCount = [text, groupTotal, cutoff, f.lastResult].filter((x) => x !== undefined).length;
    const bound = filterCount > 1 ? Math.max(this.#cap, Math.floor((yield* this.#count()) / LIST_SHARE)) : this.#cap;
    // The clients seen since a cutoff are read from the last-seen index, whose entries hold what
    // the text tests (name, address, CMID): when they fit, nothing else is listed.
    const seen = cutoff === undefined ? undefined : yield* this.#seenListing(cutoff, bound);
    if (seen) return yield* this.#readListed(q, seen, this.#filters(q, text, cutoff));
    // Else the smaller of the product's clients and the text's; the text is listed only when smaller.
    const group = groupTotal !== undefined && groupTotal <= bound && f.productId !== undefined ? groupTotal : undefined;
    const textBound = Math.min(group ?? bound, bound);
    const matches = text === undefined ? undefined : yield* textCandidates(text, Math.max(textBound, this.#cap) + 1);
    const listing =
      matches && matches.count <= textBound ? idListing(matches.ids) : group !== undefined ? groupListing() : undefined;
    if (listing) return yield* this.#readListed(q, listing, this.#filters(q, text, cutoff));

    const filters = this.#filters(q, text, cutoff);
    const rows = yield* this.#walk(q, filters);
    const window: ClientWindow = { rows, total: 0, offset: q.offset };
    if (options.count === false) return { ...window, total: q.offset + rows.length, totalIsLowerBound: true };
    if (filters.where.length === 0) window.total = yield* this.#count();
    else if (text === undefined && cutoff === undefined && f.lastResult === undefined && groupTotal !== undefined)
      window.total = groupTotal;
    else if (matches !== undefined && !options.wholeCount) {
      // A text in more than the cap of clients: count among the first cap + 1 it has, which
      // bounds what the console's count reads; the CLI (wholeCount) scans on instead. When the
      // text is the only filter and those are exact matches, there is nothing to read.
      const only = groupTotal === undefined && cutoff === undefined && f.lastResult === undefined;
      window.total =
        only && matches.exact
          ? this.#cap
          : Math.min(
              yield* this.#countIn(idListing(matches.ids, this.#cap + 1), this.#filters(q, text, cutoff)),
              this.#cap,
            );
      window.totalIsLowerBound = true;
    } else {
      // The last-seen index holds the most of what filters test (name, address, CMID).
      const everyClient = { from: 'clients AS c INDEXED BY clients_by_last_seen', params: [] };
      const n = yield* this.#countIn(everyClient, filters, this.#cap + 1);
      window.total = Math.min(n, this.#cap);
      if (n > this.#cap) window.totalIsLowerBound = true;
    }
    return window;
  }

  /** Every filter as a test on a clients row (`c`). */
  #filters(q: ClientPageQuery, text: string | undefined, cutoff: number | undefined): Filters {
    const { where, params } = groupTerms(q, 'c.');
    if (q.filter.lastResult !== undefined) {
      where.push('c.last_result = ?');
      params.push(q.filter.lastResult);
    }
    if (cutoff !== undefined) {
      where.push('c.last_seen >= ?');
      params.push(cutoff);
    }
    if (text !== undefined) {
      // LIKE is the definition of a match; the indexes only narrow.
      const test = textTest(text);
      where.push(test.where);
      params.push(...test.params);
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

  /** The clients seen since the cutoff, when the last-seen index holds at most `bound` of them. */
  *#seenListing(cutoff: number, bound: number): Steps<Listing | undefined> {
    const n = (yield* getRow<{ n: number }>(
      'SELECT COUNT(*) AS n FROM (SELECT 1 FROM clients INDEXED BY clients_by_last_seen WHERE last_seen >= ? LIMIT ?)',
      [cutoff, bound + 1],
    ))!.n;
    if (n > bound) return undefined;
    return { from: 'clients AS c INDEXED BY clients_by_last_seen', params: [] };
  }

  /** ORDER BY and the keyset test, on `c`'s columns or, in `names`, on the columns a read renamed them to. */
  #order(
    q: ClientPageQuery,
    prefix = 'c.',
    names = { column: SQL_COLUMN[q.sort.column], cmid: 'cmid' },
  ): { order: string; keyset: string; keysetParams: Param[] } {
    const col = `${prefix}${names.column}`;
    const cmid = `${prefix}${names.cmid}`;
    const dir = q.sort.direction === 'asc' ? 'ASC' : 'DESC';
    // Sorted by CMID alone, the tie-break would be the same column again.
    const byCmid = q.sort.column === 'cmid';
    const order = byCmid ? `ORDER BY ${col} ${dir}` : `ORDER BY ${col} ${dir}, ${cmid} ${dir}`;
    if (q.after === undefined) return { order, keyset: '', keysetParams: [] };
    const op = q.sort.direction === 'asc' ? '>' : '<';
    // A row value, which SQLite seeks to in the (column, cmid) index: spelled out with OR, the same
    // test makes it scan the index from its start, and a deep page costs what its depth does.
    return byCmid
      ? { order, keyset: `${col} ${op} ?`, keysetParams: [q.after.cmid] }
      : { order, keyset: `(${col}, ${cmid}) ${op} (?, ?)`, keysetParams: [q.after.value, q.after.cmid] };
  }

  /**
   * A known small set: read it, test it, sort it. Each candidate row is read once: the sort key and
   * rowid of those that pass are kept (a materialized CTE), counted for the exact total, sorted,
   * and only the window's rows are read again for their columns.
   */
  *#readListed(q: ClientPageQuery, listing: Listing, filters: Filters): Steps<ClientWindow> {
    const { order, keyset, keysetParams } = this.#order(q, 'm.', { column: 'k', cmid: 'cm' });
    const where = filters.where.length ? filters.where.join(' AND ') : '1';
    const rows = yield* allRows<ClientDbRow & { total_n: number }>(
      `WITH m AS MATERIALIZED (SELECT c.rowid AS id, c.${SQL_COLUMN[q.sort.column]} AS k, c.cmid AS cm` +
        ` FROM ${listing.from} WHERE ${where})` +
        ` SELECT ${prefixed(CLIENT_COLUMNS)}, (SELECT COUNT(*) FROM m) AS total_n` +
        ` FROM (SELECT * FROM m${keyset ? ` WHERE ${keyset}` : ''} ${order} LIMIT ? OFFSET ?) AS m` +
        ` CROSS JOIN clients AS c ON c.rowid = m.id ${order}`,
      [...listing.params, ...filters.params, ...keysetParams, q.limit, q.offset],
    );
    // No row to carry the count (a page past the end, or no room in the window): count alone.
    const total = rows.length > 0 ? rows[0]!.total_n : yield* this.#countIn(listing, filters);
    return { rows: rows.map(toClientRow), total, offset: q.offset };
  }

  /** Rows of `from` that pass every filter, counted up to `limit` when given. */
  *#countIn(from: { from: string; params: Param[] }, filters: Filters, limit?: number): Steps<number> {
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
    const index = ` INDEXED BY ${sortIndex(SQL_COLUMN[q.sort.column])}`;
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

/** The rows of one product (with state and VM) through the group index; only with a product. */
function groupListing(): Listing {
  return { from: 'clients AS c INDEXED BY clients_by_group', params: [] };
}

/** The clients of a JSON array of rowids (its first `first` only, when given). */
function idListing(ids: string, first?: number): Listing {
  const list = first === undefined ? 'json_each(?)' : '(SELECT value FROM json_each(?) LIMIT ?)';
  return {
    from: `${list} AS j CROSS JOIN clients AS c ON c.rowid = j.value`,
    params: first === undefined ? [ids] : [ids, first],
  };
}

function prefixed(columns: string): string {
  return columns
    .split(',')
    .map((c) => `c.${c.trim()}`)
    .join(', ');
}
