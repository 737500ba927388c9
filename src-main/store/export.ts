/**
 * Streams the client inventory and the request log as CSV (RFC 4180) or JSON, in chunks, so an
 * export of a million rows never builds one string. Times are ISO 8601 UTC; license states carry
 * their number and their name.
 */
import type { Database } from 'better-sqlite3';
import { LICENSE_STATE_NAMES, type LicenseState } from '../../shared/domain/license-state.js';
import { clientCursorOf, type ClientRow, type ClientWindowQuery } from '../../shared/domain/records.js';
import { ClientQueries } from './client-query.js';
import { csvLine } from './csv.js';
import { REQUEST_LOG_COLUMNS, toRequestLogEntry } from './request-log.js';
import { allRows, SyncSteps, type Steps } from './sql-steps.js';

export type ExportFormat = 'csv' | 'json';

const CHUNK_ROWS = 500;

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : '';
}

function stateName(n: number): string {
  return LICENSE_STATE_NAMES[n as LicenseState] ?? '';
}

type Flat = Record<string, string | number | boolean>;

/** Turns rows into the text of one export: a head, one piece per row, a tail. */
export function formatter(header: readonly string[], format: ExportFormat) {
  // JSON holds one row back: only the next row tells whether it needs a trailing comma.
  let held: string | undefined;
  return {
    head: (): string => (format === 'csv' ? csvLine(header) : '[\n'),
    row(row: Flat): string {
      if (format === 'csv') return csvLine(header.map((h) => row[h] ?? ''));
      const before = held === undefined ? '' : `${held},\n`;
      held = JSON.stringify(row);
      return before;
    },
    tail: (): string => (format === 'json' ? `${held === undefined ? '' : `${held}\n`}]\n` : ''),
  };
}

/** Every chunk ends with a newline, so a line-oriented sink (the CLI) can pass chunks through. */
function stream(
  rows: Iterable<unknown>,
  flatten: (row: unknown) => Flat,
  header: readonly string[],
  format: ExportFormat,
  out: (chunk: string) => void,
): number {
  const f = formatter(header, format);
  let buf = f.head();
  let n = 0;
  for (const raw of rows) {
    buf += f.row(flatten(raw));
    if (++n % CHUNK_ROWS === 0 && buf) {
      out(buf);
      buf = '';
    }
  }
  buf += f.tail();
  if (buf) out(buf);
  return n;
}

/**
 * The paged form, for a receiver slower than the database (a pipe, a terminal, a network share):
 * each page is its own short read, and the next is read only once `out` has taken the last. So
 * memory stays at one page whatever the size of the export, and a reader left open (`| less`)
 * never pins a snapshot that would keep a running host's WAL from being checkpointed. The price:
 * a client renamed during the export may appear twice or not at all.
 */
async function streamPages<R>(
  page: (after: R | undefined) => R[],
  flatten: (row: R) => Flat,
  header: readonly string[],
  format: ExportFormat,
  out: (chunk: string) => void | Promise<void>,
): Promise<number> {
  const f = formatter(header, format);
  let buf = f.head();
  let n = 0;
  let last: R | undefined;
  for (;;) {
    let rows: R[];
    try {
      rows = page(last);
    } catch (e) {
      // A damaged page part-way: what was written stays well-formed (a JSON array closed after
      // the rows read so far), and the caller reports the fault apart from it.
      await out(buf + f.tail());
      throw e;
    }
    for (const row of rows) buf += f.row(flatten(row));
    n += rows.length;
    last = rows.at(-1);
    if (rows.length < CHUNK_ROWS) break;
    await out(buf);
    buf = '';
  }
  await out(buf + f.tail());
  return n;
}

export const CLIENT_EXPORT_FIELDS = [
  'machineName',
  'address',
  'addresses',
  'productName',
  'productId',
  'applicationId',
  'licenseState',
  'licenseStateName',
  'isVm',
  'firstSeen',
  'lastSeen',
  'requestCount',
  'lastResult',
  'cmid',
] as const;

/** A client as exported: its row, and every address it has come from. */
export type ClientExportRow = ClientRow & { addresses: string };

export function flattenClient(c: ClientExportRow): Flat {
  return {
    ...c,
    licenseStateName: stateName(c.licenseState),
    firstSeen: iso(c.firstSeen),
    lastSeen: iso(c.lastSeen),
  };
}

/** What a view of the client table is, for an export: its filter and its order. */
export type ClientView = Pick<ClientWindowQuery, 'sort' | 'filter'>;

/** Every client, by machine name: an export without a view. */
export const EVERY_CLIENT: ClientView = { sort: { column: 'machineName', direction: 'asc' }, filter: {} };

const views = new ClientQueries();

/**
 * Up to `limit` rows of a view after `after` (from its start without one), read as the console's
 * windows are, with each client's addresses: one page of an export. Pages are keyset windows, so
 * the last costs what the first does; they are not counted.
 */
export function* clientExportPage(
  view: ClientView,
  now: number,
  limit: number,
  after?: ClientRow,
): Steps<ClientExportRow[]> {
  const cursor = after && clientCursorOf(after, view.sort.column);
  const window = yield* views.windowSteps({ ...view, offset: 0, limit, ...(cursor ? { after: cursor } : {}) }, now, {
    count: false,
  });
  if (window.rows.length === 0) return [];
  const found = yield* allRows<{ cmid: string; addresses: string }>(
    'SELECT c.cmid, c.addresses FROM json_each(?) AS j CROSS JOIN clients AS c ON c.cmid = j.value',
    [JSON.stringify(window.rows.map((r) => r.cmid))],
  );
  const addresses = new Map(found.map((f) => [f.cmid, f.addresses]));
  return window.rows.map((r) => ({ ...r, addresses: addresses.get(r.cmid) ?? r.address }));
}

/** The rows of a view, page after page, on this thread's connection. */
function* viewPages(db: Database, view: ClientView, now: number): Generator<ClientExportRow> {
  const steps = new SyncSteps(db);
  let last: ClientExportRow | undefined;
  for (;;) {
    const rows = steps.run(clientExportPage(view, now, CHUNK_ROWS, last));
    yield* rows;
    if (rows.length < CHUNK_ROWS) return;
    last = rows.at(-1);
  }
}

/** Every client by machine name, in one read transaction (one snapshot). Returns the number of rows written. */
export function exportClients(db: Database, format: ExportFormat, out: (chunk: string) => void): number {
  const rows = viewPages(db, EVERY_CLIENT, Date.now());
  return db.transaction(() =>
    stream(rows, (raw) => flattenClient(raw as ClientExportRow), CLIENT_EXPORT_FIELDS, format, out),
  )();
}

/** A view of the client table (every client by default) in pages that wait for `out` (see streamPages). */
export function exportClientsPaged(
  db: Database,
  format: ExportFormat,
  out: (chunk: string) => void | Promise<void>,
  view: ClientView = EVERY_CLIENT,
  now: number = Date.now(),
): Promise<number> {
  const steps = new SyncSteps(db);
  return streamPages<ClientExportRow>(
    (after) => steps.run(clientExportPage(view, now, CHUNK_ROWS, after)),
    flattenClient,
    CLIENT_EXPORT_FIELDS,
    format,
    out,
  );
}

export const REQUEST_LOG_EXPORT_FIELDS = [
  'id',
  'at',
  'result',
  'count',
  'countNeeded',
  'machineName',
  'address',
  'cmid',
  'clientTime',
  'isVm',
  'licenseState',
  'licenseStateName',
  'remainingMinutes',
  'productId',
] as const;

type LogRow = Parameters<typeof toRequestLogEntry>[0];

function flattenLogRow(raw: LogRow): Flat {
  const e = toRequestLogEntry(raw);
  return { ...e, at: iso(e.at), clientTime: iso(e.clientTime), licenseStateName: stateName(e.licenseState) };
}

export function exportRequestLog(db: Database, format: ExportFormat, out: (chunk: string) => void): number {
  const rows = db.prepare(`SELECT ${REQUEST_LOG_COLUMNS} FROM request_log ORDER BY id`).iterate();
  return stream(rows, (raw) => flattenLogRow(raw as LogRow), REQUEST_LOG_EXPORT_FIELDS, format, out);
}

/** As exportRequestLog, in pages that wait for `out` (see streamPages). */
export function exportRequestLogPaged(
  db: Database,
  format: ExportFormat,
  out: (chunk: string) => void | Promise<void>,
): Promise<number> {
  const page = db.prepare(
    `SELECT ${REQUEST_LOG_COLUMNS} FROM request_log WHERE id > ? ORDER BY id LIMIT ${CHUNK_ROWS}`,
  );
  return streamPages<LogRow>(
    (after) => page.all(after ? after.id : Number.MIN_SAFE_INTEGER) as LogRow[],
    flattenLogRow,
    REQUEST_LOG_EXPORT_FIELDS,
    format,
    out,
  );
}
