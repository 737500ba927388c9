// The console names a view as `quorum clients` options (clientViewArgs); read back by a real shell
// and the CLI's own parser, they are the same view.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PRODUCTS,
  CLIENT_SORT_COLUMNS,
  clientViewArgs,
  ProductCatalog,
  REQUEST_RESULTS,
  SEEN_WITHIN,
  type ClientWindowQuery,
  type LicenseState,
} from '../../../shared/domain/index.js';
import { clientViewOf, VIEW_OPTIONS } from '../../../src-main/cli/client-view-options.js';

const viewArb: fc.Arbitrary<Pick<ClientWindowQuery, 'sort' | 'filter'>> = fc.record({
  sort: fc.record({
    column: fc.constantFrom(...CLIENT_SORT_COLUMNS),
    direction: fc.constantFrom('asc' as const, 'desc' as const),
  }),
  filter: fc.record(
    {
      // What a person may type: quotes, spaces, $ and backslashes included (the CLI trims).
      text: fc
        .string({ minLength: 1, maxLength: 20, unit: fc.constantFrom(...`ab-C1 '"$\\*;.`.split('')) })
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
      productId: fc.constantFrom(...BUILTIN_PRODUCTS.map((p) => p.id)),
      licenseState: fc.integer({ min: 0, max: 6 }).map((n) => n as LicenseState),
      isVm: fc.boolean(),
      lastResult: fc.constantFrom(...REQUEST_RESULTS),
      seenWithinMs: fc.constantFrom(...SEEN_WITHIN.map((s) => s.ms)),
    },
    { requiredKeys: [] },
  ),
});

/** The words a POSIX shell makes of a command line. */
function shellWords(line: string): string[] {
  const r = spawnSync('sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('a view as quorum clients options', () => {
  it('reads back, through a shell and the CLI parser, as the same view', () => {
    fc.assert(
      fc.property(viewArb, (view) => {
        const words = shellWords(clientViewArgs(view).join(' '));
        const { values } = parseArgs({ args: words, options: VIEW_OPTIONS, strict: true });
        const back = clientViewOf(values, new ProductCatalog());
        expect(back.filter).toEqual(view.filter);
        expect(back.sort).toEqual(view.sort);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
