/**
 * The Clients view's reads beyond its window: one client's request history (the details drawer),
 * and the export of the view the admin has on screen (its filter and sort, every page of it).
 */
import { LICENSE_STATE_NAMES } from '../../shared/domain/license-state.js';
import {
  clientCursorOf,
  type ClientRow,
  type ClientWindowQuery,
  type RequestLogEntry,
} from '../../shared/domain/records.js';
import { CLIENT_EXPORT_MAX_ROWS, type ClientExport } from '../../shared/ipc/clients-channels.js';
import { csvLine } from '../store/csv.js';
import { REQUEST_LOG_COLUMNS, toRequestLogEntry } from '../store/request-log.js';
import type { HostRuntime } from '../host/host-runtime.js';

const PAGE = 1000;

/** Newest first; an index range on (cmid, id), schema 9. */
export function clientHistory(host: HostRuntime, cmid: string, limit: number): RequestLogEntry[] {
  host.store.applyPending();
  const rows = host.store.db
    .prepare(`SELECT ${REQUEST_LOG_COLUMNS} FROM request_log WHERE cmid = ? ORDER BY id DESC LIMIT ?`)
    .all(cmid, limit) as Parameters<typeof toRequestLogEntry>[0][];
  return rows.map(toRequestLogEntry);
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

export function exportClientView(
  host: HostRuntime,
  format: 'csv' | 'json',
  view: Pick<ClientWindowQuery, 'sort' | 'filter'>,
  now: number,
  maxRows: number = CLIENT_EXPORT_MAX_ROWS,
): ClientExport {
  const rows: ClientRow[] = [];
  let after: ClientWindowQuery['after'];
  // Keyset pages, so the last page costs what the first does.
  // One row past the cap is asked for, to tell "exactly the cap" from "more than the cap".
  for (;;) {
    const limit = Math.min(PAGE, maxRows + 1 - rows.length);
    const window = host.store.queryClients({ ...view, offset: 0, limit, ...(after ? { after } : {}) });
    rows.push(...window.rows);
    const last = window.rows.at(-1);
    if (!last || window.rows.length < limit || rows.length > maxRows) break;
    after = clientCursorOf(last, view.sort.column);
  }
  const truncated = rows.length > maxRows;
  rows.length = Math.min(rows.length, maxRows);
  const flat = rows.map(flatten);
  const content =
    format === 'csv'
      ? csvLine(FIELDS) + flat.map((r) => csvLine(FIELDS.map((f) => r[f]))).join('')
      : `${JSON.stringify(flat)}\n`;
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 13);
  return {
    fileName: `quorum-clients-${stamp}Z.${format}`,
    mimeType: format === 'csv' ? 'text/csv' : 'application/json',
    content,
    rows: rows.length,
    truncated,
  };
}
