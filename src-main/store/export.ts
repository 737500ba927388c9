/**
 * Streams the client inventory and the request log as CSV (RFC 4180) or JSON, in chunks, so an
 * export of a million rows never builds one string. Times are ISO 8601 UTC; license states carry
 * their number and their name.
 */
import type { Database } from 'better-sqlite3';
import { LICENSE_STATE_NAMES, type LicenseState } from '../../shared/domain/license-state.js';
import { CLIENT_COLUMNS, toClientRow, type ClientDbRow } from './client-query.js';
import { csvLine } from './csv.js';
import { REQUEST_LOG_COLUMNS, toRequestLogEntry } from './request-log.js';

export type ExportFormat = 'csv' | 'json';

const CHUNK_ROWS = 500;

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : '';
}

function stateName(n: number): string {
  return LICENSE_STATE_NAMES[n as LicenseState] ?? '';
}

type Flat = Record<string, string | number | boolean>;

/** Every chunk ends with a newline, so a line-oriented sink (the CLI) can pass chunks through. */
function stream(
  rows: Iterable<unknown>,
  flatten: (row: unknown) => Flat,
  header: readonly string[],
  format: ExportFormat,
  out: (chunk: string) => void,
): number {
  let buf = format === 'csv' ? csvLine(header) : '[\n';
  // JSON holds one row back: only the next row tells whether it needs a trailing comma.
  let held: string | undefined;
  let n = 0;
  for (const raw of rows) {
    const row = flatten(raw);
    if (format === 'csv') buf += csvLine(header.map((h) => row[h] ?? ''));
    else {
      if (held !== undefined) buf += `${held},\n`;
      held = JSON.stringify(row);
    }
    if (++n % CHUNK_ROWS === 0 && buf) {
      out(buf);
      buf = '';
    }
  }
  if (format === 'json') buf += `${held === undefined ? '' : `${held}\n`}]\n`;
  if (buf) out(buf);
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

/** Returns the number of rows written. */
export function exportClients(db: Database, format: ExportFormat, out: (chunk: string) => void): number {
  const rows = db
    .prepare(`SELECT ${CLIENT_COLUMNS}, addresses FROM clients ORDER BY machine_name, cmid`)
    .iterate() as Iterable<ClientDbRow & { addresses: string }>;
  return stream(
    rows,
    (raw) => {
      const r = raw as ClientDbRow & { addresses: string };
      const c = toClientRow(r);
      return {
        ...c,
        addresses: r.addresses,
        licenseStateName: stateName(c.licenseState),
        firstSeen: iso(c.firstSeen),
        lastSeen: iso(c.lastSeen),
      };
    },
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

export function exportRequestLog(db: Database, format: ExportFormat, out: (chunk: string) => void): number {
  const rows = db.prepare(`SELECT ${REQUEST_LOG_COLUMNS} FROM request_log ORDER BY id`).iterate();
  return stream(
    rows,
    (raw) => {
      const e = toRequestLogEntry(raw as Parameters<typeof toRequestLogEntry>[0]);
      return {
        ...e,
        at: iso(e.at),
        clientTime: iso(e.clientTime),
        licenseStateName: stateName(e.licenseState),
      };
    },
    REQUEST_LOG_EXPORT_FIELDS,
    format,
    out,
  );
}
