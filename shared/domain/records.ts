/**
 * Records the console shows and the store keeps. Shared because the renderer renders them and
 * main produces them.
 */
import type { LicenseState } from './license-state.js';

/** Result of one activation request, as the host log records it (like event 12290). */
export type RequestResult =
  | 'granted'
  | 'count-insufficient'
  | 'host-not-activated'
  | 'unknown-product'
  | 'product-not-covered'
  | 'admission-refused'
  | 'rate-limited'
  | 'invalid-request';

export const REQUEST_RESULTS: readonly RequestResult[] = [
  'granted',
  'count-insufficient',
  'host-not-activated',
  'unknown-product',
  'product-not-covered',
  'admission-refused',
  'rate-limited',
  'invalid-request',
];

/** One row of the client inventory: one client installation (CMID) and what it last asked for. */
export interface ClientRow {
  cmid: string;
  machineName: string;
  address: string;
  productId: string;
  productName: string;
  applicationId: string;
  licenseState: LicenseState;
  isVm: boolean;
  firstSeen: number;
  lastSeen: number;
  requestCount: number;
  lastResult: RequestResult;
}

export const CLIENT_SORT_COLUMNS = [
  'machineName',
  'address',
  'productName',
  'licenseState',
  'isVm',
  'firstSeen',
  'lastSeen',
  'requestCount',
  'lastResult',
  'cmid',
] as const;
export type ClientSortColumn = (typeof CLIENT_SORT_COLUMNS)[number];

/**
 * Where the previous page ended: the sort column's value and the CMID of its last row. A page that
 * starts after it costs the same at any depth, where an offset walks every row before it.
 */
export interface ClientCursor {
  value: string | number;
  cmid: string;
}

/** The cursor that continues after `row` in a window sorted by `column`. */
export function clientCursorOf(row: ClientRow, column: ClientSortColumn): ClientCursor {
  const value = column === 'isVm' ? (row.isVm ? 1 : 0) : row[column];
  return { value, cmid: row.cmid };
}

export interface ClientWindowQuery {
  /** Rows to skip; counted from `after` when it is given. */
  offset: number;
  limit: number;
  sort: { column: ClientSortColumn; direction: 'asc' | 'desc' };
  filter: {
    text?: string;
    productId?: string;
    licenseState?: LicenseState;
    isVm?: boolean;
    /** Only clients whose last request got this answer. */
    lastResult?: RequestResult;
    /** Only clients seen within this many milliseconds before now. */
    seenWithinMs?: number;
  };
  /** Start after this row instead of from the top (keyset paging, for deep pages). */
  after?: ClientCursor;
}

export interface ClientWindow {
  rows: ClientRow[];
  /** Rows matching the filter, before offset/limit; a lower bound when `totalIsLowerBound`. */
  total: number;
  offset: number;
  /**
   * True when counting stopped early because an exact count would cost too much (a text filter
   * that matches many clients): at least `total` rows match. Absent or false: `total` is exact.
   */
  totalIsLowerBound?: boolean;
}

/** One entry of the request log (Microsoft's event 12290, in Quorum's terms). */
export interface RequestLogEntry {
  id: number;
  at: number;
  result: RequestResult;
  countNeeded: number;
  count: number;
  machineName: string;
  address: string;
  cmid: string;
  clientTime: number;
  isVm: boolean;
  licenseState: LicenseState;
  remainingMinutes: number;
  productId: string;
}
