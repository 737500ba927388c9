/**
 * The Clients view's reads beyond its window: one client's request history (the details drawer),
 * and the export of the view the admin has on screen (its filter and sort, every page of it).
 * Both read on the console reader's thread, as the windows do: an export of tens of thousands of
 * rows never holds up an activation.
 */
import { LICENSE_STATE_NAMES } from '../../shared/domain/license-state.js';
import {
  clientCursorOf,
  type ClientRow,
  type ClientWindowQuery,
  type RequestLogEntry,
} from '../../shared/domain/records.js';
import { CLIENT_EXPORT_MAX_ROWS, type ClientExport } from '../../shared/ipc/clients-channels.js';
import { ClientQueries } from '../store/client-query.js';
import { csvLine } from '../store/csv.js';
import { REQUEST_LOG_COLUMNS, toRequestLogEntry } from '../store/request-log.js';
import { allRows, type Steps } from '../store/sql-steps.js';
import type { HostRuntime } from '../host/host-runtime.js';

const PAGE = 1000;
/** Rows formatted per turn of the event loop, so replies to activations go out between chunks. */
const FORMAT_CHUNK = 2000;

/** Newest first; an index range on (cmid, id), schema 9. */
export async function clientHistory(host: HostRuntime, cmid: string, limit: number): Promise<RequestLogEntry[]> {
  const rows = await host.reader.read(
    "reading a client's history",
    allRows<Parameters<typeof toRequestLogEntry>[0]>(
      `SELECT ${REQUEST_LOG_COLUMNS} FROM request_log WHERE cmid = ? ORDER BY id DESC LIMIT ?`,
      [cmid, limit],
    ),
  );
  return rows.map(toRequestLogEntry);
}

/**
 * Up to `limit` rows of the view, in its order, in one snapshot: keyset pages, so the last page
 * costs what the first does.
 */
function* viewRows(view: Pick<ClientWindowQuery, 'sort' | 'filter'>, now: number, limit: number): Steps<ClientRow[]> {
  const queries = new ClientQueries();
  const rows: ClientRow[] = [];
  let after: ClientWindowQuery['after'];
  for (;;) {
    const size = Math.min(PAGE, limit - rows.length);
    const window = yield* queries.windowSteps({ ...view, offset: 0, limit: size, ...(after ? { after } : {}) }, now);
    rows.push(...window.rows);
    const last = window.rows.at(-1);
    if (!last || window.rows.length < size || rows.length >= limit) return rows;
    after = clientCursorOf(last, view.sort.column);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function formatRows(format: 'csv' | 'json', rows: readonly ClientRow[]): Promise<string> {
  const chunks: string[] = [];
  for (let i = 0; i < rows.length; i += FORMAT_CHUNK) {
    if (i > 0) await nextTurn();
    const flat = rows.slice(i, i + FORMAT_CHUNK).map(flatten);
    chunks.push(
      format === 'csv' ? flat.map((r) => csvLine(FIELDS.map((f) => r[f]))).join('') : JSON.stringify(flat).slice(1, -1),
    );
  }
  return format === 'csv' ? csvLine(FIELDS) + chunks.join('') : `[${chunks.join(',')}]\n`;
}

const FIELDS = [
  'machineName',
  'address',
  'productName',
  'licenseState',
  'grantedByHost',
  'isVm',
  'firstSeen',
  'lastSeen',
  'requestCount',
  'lastResult',
  'cmid',
] as const;

function flatten(r: ClientRow): Record<(typeof FIELDS)[number], string | number | boolean> {
  return {
    machineName: r.machineName,
    address: r.address,
    productName: r.productName,
    licenseState: LICENSE_STATE_NAMES[r.licenseState],
    grantedByHost: r.lastResult === 'granted',
    isVm: r.isVm,
    firstSeen: new Date(r.firstSeen).toISOString(),
    lastSeen: new Date(r.lastSeen).toISOString(),
    requestCount: r.requestCount,
    lastResult: r.lastResult,
    cmid: r.cmid,
  };
}

export async function exportClientView(
  host: HostRuntime,
  format: 'csv' | 'json',
  view: Pick<ClientWindowQuery, 'sort' | 'filter'>,
  now: number,
  maxRows: number = CLIENT_EXPORT_MAX_ROWS,
): Promise<ClientExport> {
  // One row past the cap is asked for, to tell "exactly the cap" from "more than the cap".
  const rows = await host.reader.read('exporting the client table', viewRows(view, now, maxRows + 1));
  const truncated = rows.length > maxRows;
  rows.length = Math.min(rows.length, maxRows);
  const content = await formatRows(format, rows);
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 13);
  return {
    fileName: `quorum-clients-${stamp}Z.${format}`,
    mimeType: format === 'csv' ? 'text/csv' : 'application/json',
    content,
    rows: rows.length,
    truncated,
  };
}
