import { describe, expect, it } from 'vitest';
import { BUILTIN_PRODUCTS } from '../../../shared/domain/products.js';
import { filterOf, readClientView, writeClientView } from '../../../src-renderer/src/lib/client-view-state.js';

describe('the Clients view state in the URL', () => {
  it('round-trips filter, sort, page and size', () => {
    const params = {
      text: 'pc-',
      product: BUILTIN_PRODUCTS[0]!.id,
      state: '2',
      vm: 'vm',
      result: 'count-insufficient',
      seen: '7d',
      sort: 'machineName.asc',
      page: '3',
      size: '100',
    };
    const view = readClientView(params);
    expect(view).toMatchObject({ sort: 'machineName', direction: 'asc', page: 2, size: 100, vm: 'vm' });
    expect(writeClientView(view)).toEqual(params);
    expect(filterOf(view)).toEqual({
      text: 'pc-',
      productId: BUILTIN_PRODUCTS[0]!.id,
      licenseState: 2,
      isVm: true,
      lastResult: 'count-insufficient',
      seenWithinMs: 7 * 86_400_000,
    });
  });

  it('falls back to the defaults for what a hand-edited address gets wrong', () => {
    const view = readClientView({
      sort: 'password.asc',
      page: '-4',
      size: '7',
      state: '9',
      vm: 'maybe',
      result: 'ok',
      seen: '1y',
    });
    expect(view).toMatchObject({ sort: 'lastSeen', page: 0, size: 50, vm: '', result: '', seen: '', licenseState: '' });
    expect(filterOf(view)).toEqual({});
    expect(writeClientView(readClientView({}))).toEqual({
      text: '',
      product: '',
      state: '',
      vm: '',
      result: '',
      seen: '',
      sort: '',
      page: '',
      size: '',
    });
  });
});
