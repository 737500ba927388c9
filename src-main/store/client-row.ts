/**
 * A client inventory row as SQLite returns it, and as the console and exports see it: one
 * declaration for the reader, the writer and the write-path model test.
 */
import type { ClientRow, ClientSortColumn, RequestResult } from '../../shared/domain/records.js';
import type { LicenseState } from '../../shared/domain/license-state.js';

/** The column of each sort; each is read in order from the index sortIndex() names. */
export const SQL_COLUMN: Readonly<Record<ClientSortColumn, string>> = {
  machineName: 'machine_name',
  address: 'address',
  productName: 'product_name',
  licenseState: 'license_state',
  isVm: 'is_vm',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
  requestCount: 'request_count',
  lastResult: 'last_result',
  cmid: 'cmid',
};

/**
 * The index a sort walks: `clients_by_<column>` (column, cmid), or for the CMID the primary key's
 * own index, which SQLite names after the table (migration 1 made it; migration 11 dropped the copy).
 */
export function sortIndex(column: string): string {
  return column === 'cmid' ? 'sqlite_autoindex_clients_1' : `clients_by_${column}`;
}

export const CLIENT_COLUMNS =
  'cmid, machine_name, address, product_id, product_name, application_id, license_state, is_vm, first_seen, last_seen, request_count, last_result';

export interface ClientDbRow {
  cmid: string;
  machine_name: string;
  address: string;
  product_id: string;
  product_name: string;
  application_id: string;
  license_state: number;
  is_vm: number;
  first_seen: number;
  last_seen: number;
  request_count: number;
  last_result: string;
}

export function toClientRow(r: ClientDbRow): ClientRow {
  return {
    cmid: r.cmid,
    machineName: r.machine_name,
    address: r.address,
    productId: r.product_id,
    productName: r.product_name,
    applicationId: r.application_id,
    licenseState: r.license_state as LicenseState,
    isVm: r.is_vm === 1,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    requestCount: r.request_count,
    lastResult: r.last_result as RequestResult,
  };
}
