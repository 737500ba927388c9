/** Builders for store tests: activation records as the host would hand them over, and temp dirs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_PRODUCTS, type LicenseState, type RequestResult } from '../../../shared/domain/index.js';
import type { ClientRow, ClientWindowQuery } from '../../../shared/domain/records.js';
import type { ActivationRecord } from '../../../src-main/store/types.js';

export function tempDir(prefix = 'quorum-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A deterministic lower-case UUID for client number n. */
export function cmidOf(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export interface RecordSpec {
  n: number;
  at?: number;
  productIndex?: number;
  licenseState?: LicenseState;
  isVm?: boolean;
  address?: string;
  machineName?: string;
  result?: RequestResult;
  count?: number;
}

export function activation(spec: RecordSpec): ActivationRecord {
  const product = BUILTIN_PRODUCTS[(spec.productIndex ?? spec.n) % BUILTIN_PRODUCTS.length]!;
  const at = spec.at ?? Date.UTC(2026, 0, 1) + spec.n * 1000;
  const cmid = cmidOf(spec.n);
  const machineName = spec.machineName ?? `pc-${String(spec.n).padStart(5, '0')}`;
  const address = spec.address ?? `10.0.${(spec.n >> 8) & 255}.${spec.n & 255}`;
  const result = spec.result ?? 'granted';
  return {
    at,
    input: {
      cmid,
      previousCmid: null,
      machineName,
      address,
      applicationId: product.applicationId,
      productId: product.id,
      productGroupId: product.groupId,
      licenseState: spec.licenseState ?? 2,
      remainingMinutes: 43_200 - (spec.n % 100),
      isVm: spec.isVm ?? spec.n % 3 === 0,
      clientTime: at - 5000,
    },
    decision: {
      result,
      granted: result === 'granted',
      count: spec.count ?? 30,
      threshold: product.threshold,
      activationIntervalMin: 120,
      renewalIntervalMin: 10_080,
      validityMin: 259_200,
      hostTime: at,
    },
    changes: [
      {
        kind: 'cmid-upsert',
        entry: {
          applicationId: product.applicationId,
          cmid,
          lastSeen: at,
          machineName,
          address,
          productId: product.id,
        },
      },
    ],
  };
}

/**
 * The window a correct store returns, computed in memory from every row: the window tests' oracle.
 * A text is found anywhere in the name, address or CMID, in any case; one of fewer than three
 * characters only at their start.
 */
export function referenceWindow(
  all: readonly ClientRow[],
  q: ClientWindowQuery,
  now: number,
): { rows: string[]; total: number } {
  const f = q.filter;
  const text = f.text?.trim().toLowerCase();
  const has =
    text && Array.from(text).length < 3 ? (v: string) => v.startsWith(text) : (v: string) => v.includes(text!);
  const matches = all.filter(
    (r) =>
      (f.productId === undefined || r.productId === f.productId) &&
      (f.licenseState === undefined || r.licenseState === f.licenseState) &&
      (f.isVm === undefined || r.isVm === f.isVm) &&
      (f.lastResult === undefined || r.lastResult === f.lastResult) &&
      (f.seenWithinMs === undefined || r.lastSeen >= now - f.seenWithinMs) &&
      (!text || [r.machineName, r.address, r.cmid].some((v) => has(v.toLowerCase()))),
  );
  const col = q.sort.column;
  const sign = q.sort.direction === 'asc' ? 1 : -1;
  const key = (r: ClientRow) => (col === 'isVm' ? Number(r.isVm) : r[col]);
  matches.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.cmid < b.cmid ? -1 : a.cmid > b.cmid ? 1 : 0;
    return c * sign;
  });
  return { rows: matches.slice(q.offset, q.offset + q.limit).map((r) => r.cmid), total: matches.length };
}

/** Every client of the store, in CMID order: what the reference windows are computed from. */
export function everyClient(store: { queryClients(q: ClientWindowQuery): { rows: ClientRow[] } }): ClientRow[] {
  return store.queryClients({ offset: 0, limit: 1000, sort: { column: 'cmid', direction: 'asc' }, filter: {} }).rows;
}
