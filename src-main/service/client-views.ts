/**
 * The Clients view's reads beyond its window: one client's request history (the details drawer),
 * and the export of the view the admin has on screen (its filter and sort, every page of it).
 * Both read on the console reader's thread, as the windows do: an export of tens of thousands of
 * rows never holds up an activation.
 */
import type { RequestLogEntry } from '../../shared/domain/records.js';
import { CLIENT_EXPORT_MAX_ROWS, type ClientExport } from '../../shared/ipc/clients-channels.js';
import {
  CLIENT_EXPORT_FIELDS,
  clientExportPage,
  flattenClient,
  formatter,
  type ClientExportRow,
  type ClientView,
  type ExportFormat,
} from '../store/export.js';
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

/** Up to `limit` rows of the view, in its order, in one snapshot: export pages, read back to back. */
function* viewRows(view: ClientView, now: number, limit: number): Steps<ClientExportRow[]> {
  const rows: ClientExportRow[] = [];
  for (;;) {
    const size = Math.min(PAGE, limit - rows.length);
    const page = yield* clientExportPage(view, now, size, rows.at(-1));
    rows.push(...page);
    if (page.length < size || rows.length >= limit) return rows;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The columns and format of `quorum clients --csv`/`--json`, a chunk of rows per turn of the event loop. */
async function formatRows(format: ExportFormat, rows: readonly ClientExportRow[]): Promise<string> {
  const f = formatter(CLIENT_EXPORT_FIELDS, format);
  const chunks = [f.head()];
  for (let i = 0; i < rows.length; i += FORMAT_CHUNK) {
    if (i > 0) await nextTurn();
    chunks.push(
      rows
        .slice(i, i + FORMAT_CHUNK)
        .map((r) => f.row(flattenClient(r)))
        .join(''),
    );
  }
  chunks.push(f.tail());
  return chunks.join('');
}

export async function exportClientView(
  host: HostRuntime,
  format: 'csv' | 'json',
  view: ClientView,
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
