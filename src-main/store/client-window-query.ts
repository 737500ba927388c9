/**
 * The shape checks of a client window query, and the cursor of keyset paging. A query may have
 * crossed a process boundary; the console validates it too, this is the last line before SQL.
 */
import {
  CLIENT_SORT_COLUMNS,
  REQUEST_RESULTS,
  clientCursorOf,
  type ClientCursor,
  type ClientSortColumn,
  type ClientWindowQuery,
} from '../../shared/domain/records.js';
import { isLicenseState } from '../../shared/domain/license-state.js';
import { QuorumError } from '../../shared/domain/errors.js';

export type { ClientCursor } from '../../shared/domain/records.js';

/** A window query that may start after a cursor (the contract's `after`); `offset` then counts from the cursor. */
export type ClientPageQuery = ClientWindowQuery;

const NUMERIC_COLUMNS: ReadonlySet<ClientSortColumn> = new Set([
  'licenseState',
  'isVm',
  'firstSeen',
  'lastSeen',
  'requestCount',
]);

export const cursorOf = clientCursorOf;

/** The largest window one query may ask for; the console pages, it never pulls the table. */
export const MAX_WINDOW_ROWS = 1000;

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
  if (f.lastResult !== undefined && !(REQUEST_RESULTS as readonly string[]).includes(f.lastResult)) {
    throw invalid(`lastResult filter must be one of ${REQUEST_RESULTS.join(', ')}; got ${String(f.lastResult)}.`);
  }
  if (f.seenWithinMs !== undefined && !(Number.isFinite(f.seenWithinMs) && f.seenWithinMs >= 0)) {
    throw invalid(`seenWithinMs must be a number >= 0; got ${f.seenWithinMs}.`);
  }
}

export function checkCursor(after: ClientCursor, column: ClientSortColumn): void {
  // SQLite orders every number before every text: a value of the wrong type would silently skip rows.
  const numeric = NUMERIC_COLUMNS.has(column);
  const ok = numeric
    ? typeof after.value === 'number' && Number.isFinite(after.value)
    : typeof after.value === 'string';
  if (!ok) throw invalid(`The cursor for "${column}" must hold a ${numeric ? 'number' : 'text'} value.`);
  if (typeof after.cmid !== 'string') throw invalid('The cursor must hold the cmid of the last row.');
}
