/**
 * The reads of a client window once it is planned (client-query.ts): its rows through a driver, in
 * the window's order (by ranges of the machine-name index when the name summaries narrow a
 * name-sorted walk; by the names a product filter's clients carry for a product-name sort), and
 * counts of its matches, whole or within a budget of index entries.
 */
import type { Statement } from 'better-sqlite3';
import type { ClientWindowQuery } from '../../shared/domain/records.js';
import type { ClientPageQuery } from './client-window-query.js';
import { fromOf, whereOf, type Conditions, type Driver } from './client-conditions.js';
import { CLIENT_COLUMNS, SQL_COLUMN, type ClientDbRow } from './client-row.js';
import { productNamesOf } from './client-product-names.js';
import type { SqlParam } from './client-id-set.js';
import type { NameRange } from './name-blocks.js';

type Prepare = (sql: string) => Statement;

/** Distinct (product, name) pairs read at most to narrow a product-name walk; beyond, it walks. */
const MAX_PRODUCT_NAMES = 64;

/**
 * Matches among the first `budget` entries of the machine-name index, or the last-seen index
 * (within `range`), and how
 * many entries that was (fewer than `budget`: all of them). Each test runs only when the ones before it passed
 * (nested CASE: an AND in a result column evaluates both sides), so a row is read only for an
 * entry whose in-entry tests passed.
 */
export function boundedCount(
  prepare: Prepare,
  c: Conditions,
  budget: number,
  range: { sql: string; params: SqlParam[] }[],
  seen = false,
): { walked: number; n: number } {
  // `seen`: the last-seen index from the cutoff (range), which holds every text column (schema 8).
  const { where, params } = whereOf(c, seen ? 'range' : 'sort');
  const test = where.reduceRight((then, cond) => `CASE WHEN ${cond} THEN ${then} ELSE 0 END`, '1');
  const seek = range.length ? `WHERE ${range.map((r) => r.sql).join(' AND ')}` : '';
  const index = seen ? 'clients_by_last_seen' : 'clients_by_machine_name';
  const sql = `SELECT COUNT(*) AS walked, TOTAL(ok) AS n FROM (SELECT ${test} AS ok FROM clients INDEXED BY ${index} ${seek} LIMIT ?)`;
  const r = prepare(sql).get(...params, ...range.flatMap((x) => x.params), budget) as {
    walked: number;
    n: number;
  };
  return { walked: r.walked, n: r.n };
}

/**
 * The window's rows through `driver`. `nameRanges` gives the stretches of the machine-name index a
 * name-sorted walk reads (client-query.ts), when the name summaries can tell.
 */
export function selectRows(
  prepare: Prepare,
  q: ClientPageQuery,
  c: Conditions,
  driver: Driver,
  nameRanges: () => NameRange[] | undefined,
): ClientDbRow[] {
  const col = SQL_COLUMN[q.sort.column];
  const dir = q.sort.direction === 'desc' ? 'DESC' : 'ASC';
  const cmp = dir === 'ASC' ? '>' : '<';
  const names =
    col === 'product_name' && driver === 'sort' && c.hasEq
      ? productNamesOf(prepare, c.productIds, MAX_PRODUCT_NAMES)
      : undefined;
  if (names) {
    // Seek only the names whose products have matching clients: a filter whose matches all
    // carry the names that sort last would otherwise walk every entry of the others.
    const inNames = { sql: `product_name IN (${names.map(() => '?').join(', ')})`, params: names };
    if (!q.after) return selectWhere(prepare, q, c, driver, [inNames]);
    // After a cursor: the rest of the cursor's name (a seek), then the names beyond it. SQLite
    // would otherwise walk the cursor's name from its first entry.
    const wanted = q.offset + q.limit;
    const rest = names.includes(String(q.after.value))
      ? selectWhere(prepare, { ...q, offset: 0, limit: wanted }, c, driver, [
          { sql: `product_name = ? AND cmid ${cmp} ?`, params: [q.after.value, q.after.cmid] },
        ])
      : [];
    const beyond =
      rest.length < wanted
        ? selectWhere(prepare, { ...q, offset: 0, limit: wanted - rest.length }, c, driver, [
            inNames,
            { sql: `product_name ${cmp} ?`, params: [q.after.value] },
          ])
        : [];
    return [...rest, ...beyond].slice(q.offset, wanted);
  }
  // A row value comparison: SQLite seeks the sort index to it.
  const after =
    q.after === undefined
      ? undefined
      : col === 'cmid'
        ? { sql: `cmid ${cmp} ?`, params: [q.after.cmid] }
        : { sql: `(${col}, cmid) ${cmp} (?, ?)`, params: [q.after.value, q.after.cmid] };
  const ranges = driver === 'sort' && col === 'machine_name' ? nameRanges() : undefined;
  if (ranges) return selectInRanges(prepare, q, c, ranges, after);
  return selectWhere(prepare, q, c, driver, after ? [after] : []);
}

/** A name-sorted window read range by range, in the window's order, until it has offset + limit rows. */
function selectInRanges(
  prepare: Prepare,
  q: ClientPageQuery,
  c: Conditions,
  ranges: NameRange[],
  after: { sql: string; params: SqlParam[] } | undefined,
): ClientDbRow[] {
  const wanted = q.offset + q.limit;
  const rows: ClientDbRow[] = [];
  for (const r of q.sort.direction === 'desc' ? [...ranges].reverse() : ranges) {
    if (rows.length >= wanted) break;
    const extra = [...rangeConditions(r), ...(after ? [after] : [])];
    rows.push(...selectWhere(prepare, { ...q, offset: 0, limit: wanted - rows.length }, c, 'sort', extra));
  }
  return rows.slice(q.offset, wanted);
}

/** One window read with `extra` conditions besides the query's filters (never its cursor). */
function selectWhere(
  prepare: Prepare,
  q: ClientWindowQuery,
  c: Conditions,
  driver: Driver,
  extra: { sql: string; params: SqlParam[] }[],
): ClientDbRow[] {
  const { col, order } = orderOf(q);
  const more = extra.length
    ? { sql: extra.map((e) => e.sql).join(' AND '), params: extra.flatMap((e) => e.params) }
    : undefined;
  const from = fromOf(c, driver, `clients_by_${col}`, more);
  if (driver === 'range' && sortsInSeenEntry(q, c)) return readSorted(prepare, from, order, q).rows;
  const sql = `SELECT ${CLIENT_COLUMNS} ${from.sql} ORDER BY ${order} LIMIT ? OFFSET ?`;
  return prepare(sql).all(...from.params, q.limit, q.offset) as ClientDbRow[];
}

/**
 * The window's matches sorted by what the index entries hold, then only its rows read: a sort of
 * whole rows would read the row of every match (~3 µs each). The sort sees every match, so it
 * counts them too (`matching`, when the window has a row).
 */
function readSorted(
  prepare: Prepare,
  from: { sql: string; params: SqlParam[] },
  order: string,
  q: ClientWindowQuery,
): { rows: ClientDbRow[]; matching?: number } {
  const sorted = prepare(
    `SELECT rowid AS id, COUNT(*) OVER () AS n ${from.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
  ).all(...from.params, q.limit, q.offset) as { id: number; n: number }[];
  const columns = CLIENT_COLUMNS.split(',').map((name) => `c.${name.trim()}`);
  const read = `SELECT ${columns.join(', ')} FROM json_each(?) AS j CROSS JOIN clients AS c ON c.rowid = j.value ORDER BY j.key`;
  const rows = prepare(read).all(JSON.stringify(sorted.map((r) => r.id))) as ClientDbRow[];
  return sorted.length > 0 ? { rows, matching: sorted[0]!.n } : { rows };
}

/**
 * A window read from the last-seen index with its sort in the entries (sortsInSeenEntry), from its
 * first match on (no cursor): its rows, and how many clients match.
 */
export function selectSeenSorted(
  prepare: Prepare,
  q: ClientWindowQuery,
  c: Conditions,
): { rows: ClientDbRow[]; matching?: number } {
  const { col, order } = orderOf(q);
  return readSorted(prepare, fromOf(c, 'range', `clients_by_${col}`), order, q);
}

/** Columns of the last-seen index entry (schema 8) besides group_key: a read of it can sort by them. */
const SEEN_ENTRY = ['last_seen', 'cmid', 'machine_name', 'address'];

/**
 * Whether a walk of the last-seen index holds every test and the sort column in its entries: the
 * product/state/VM filter as group_key tests, a text's columns (name, address, CMID all are).
 */
export function sortsInSeenEntry(q: ClientWindowQuery, c: Conditions): boolean {
  return SEEN_ENTRY.includes(SQL_COLUMN[q.sort.column]) && (!c.hasEq || c.keySql !== undefined);
}

/** Rows matching, counted up to `limit` when given. */
export function countRows(prepare: Prepare, c: Conditions, driver: Driver, limit?: number): number {
  const from = fromOf(c, driver, 'clients_by_machine_name');
  const sql =
    limit === undefined
      ? `SELECT COUNT(*) AS n ${from.sql}`
      : `SELECT COUNT(*) AS n FROM (SELECT 1 ${from.sql} LIMIT ${limit})`;
  return (prepare(sql).get(...from.params) as { n: number }).n;
}

/** A range of the machine-name index as conditions SQLite seeks to. */
export function rangeConditions(r: NameRange): { sql: string; params: string[] }[] {
  return [
    ...(r.lo !== undefined ? [{ sql: 'machine_name >= ?', params: [r.lo] }] : []),
    ...(r.hi !== undefined ? [{ sql: 'machine_name < ?', params: [r.hi] }] : []),
  ];
}

/** The window's sort column and ORDER BY: the CMID breaks ties, so every order is total. */
function orderOf(q: ClientWindowQuery): { col: string; order: string } {
  const col = SQL_COLUMN[q.sort.column];
  const dir = q.sort.direction === 'desc' ? 'DESC' : 'ASC';
  return { col, order: col === 'cmid' ? `cmid ${dir}` : `${col} ${dir}, cmid ${dir}` };
}
