/**
 * The Clients view's state as URL parameters and back: filter, sort, page and page size. Pure, so
 * the same address always shows the same view.
 */
import {
  CLIENT_SORT_COLUMNS,
  REQUEST_RESULTS,
  type ClientSortColumn,
  type ClientWindowQuery,
  type RequestResult,
} from '../../../shared/domain/records.js';
import { isLicenseState } from '../../../shared/domain/license-state.js';
import { SEEN_WITHIN } from '../../../shared/domain/client-filters.js';

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export { SEEN_WITHIN };

export interface ClientViewState {
  text: string;
  productId: string;
  licenseState: string;
  vm: '' | 'vm' | 'physical';
  result: RequestResult | '';
  seen: string;
  sort: ClientSortColumn;
  direction: 'asc' | 'desc';
  page: number;
  size: number;
}

export function readClientView(p: Record<string, string>): ClientViewState {
  const [column, dir] = (p.sort ?? '').split('.');
  const size = Number(p.size);
  return {
    text: p.text ?? '',
    productId: p.product ?? '',
    licenseState: p.state !== undefined && p.state !== '' && isLicenseState(Number(p.state)) ? p.state : '',
    vm: p.vm === 'vm' || p.vm === 'physical' ? p.vm : '',
    result: (REQUEST_RESULTS as readonly string[]).includes(p.result ?? '') ? (p.result as RequestResult) : '',
    seen: SEEN_WITHIN.some((s) => s.value === p.seen) ? p.seen! : '',
    sort: (CLIENT_SORT_COLUMNS as readonly string[]).includes(column ?? '') ? (column as ClientSortColumn) : 'lastSeen',
    direction: dir === 'asc' ? 'asc' : 'desc',
    page: Math.max(0, Math.floor(Number(p.page) || 1) - 1),
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

export function writeClientView(s: ClientViewState): Record<string, string> {
  return {
    text: s.text,
    product: s.productId,
    state: s.licenseState,
    vm: s.vm,
    result: s.result,
    seen: s.seen,
    sort: s.sort === 'lastSeen' && s.direction === 'desc' ? '' : `${s.sort}.${s.direction}`,
    page: s.page === 0 ? '' : String(s.page + 1),
    size: s.size === 50 ? '' : String(s.size),
  };
}

export function filterOf(s: ClientViewState): ClientWindowQuery['filter'] {
  const state = Number(s.licenseState);
  const seen = SEEN_WITHIN.find((w) => w.value === s.seen);
  return {
    ...(s.text.trim() ? { text: s.text.trim() } : {}),
    ...(s.productId ? { productId: s.productId } : {}),
    ...(s.licenseState !== '' && isLicenseState(state) ? { licenseState: state } : {}),
    ...(s.vm ? { isVm: s.vm === 'vm' } : {}),
    ...(s.result ? { lastResult: s.result } : {}),
    ...(seen ? { seenWithinMs: seen.ms } : {}),
  };
}

export function hasFilter(s: ClientViewState): boolean {
  return Object.keys(filterOf(s)).length > 0;
}
