import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_PRODUCTS,
  CLIENT_SORT_COLUMNS,
  VirtualClock,
  type ClientRow,
  type ClientWindowQuery,
  type LicenseState,
} from '../../../shared/domain/index.js';
import { ClientQueries, cursorOf, type ClientPageQuery } from '../../../src-main/store/client-query.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import { SyncSteps } from '../../../src-main/store/sql-steps.js';
import type { ActivationRecord } from '../../../src-main/store/types.js';
import { activation, everyClient, referenceWindow, tempDir } from './fixtures.js';

const clock = new VirtualClock(Date.UTC(2026, 5, 1));
const N = 400;
/**
 * Products outside the catalog: one whose id starts like the built-in desktop's (schemas 4-10 packed
 * both into the same filter key), one that is not hex at all.
 */
const DESKTOP = BUILTIN_PRODUCTS[0]!.id;
const LOOKALIKE = `${DESKTOP.slice(0, 4)}ffff-0000-4000-8000-000000000001`;
const NOT_HEX = 'site-app';
const EXTRA = 40;
const PRODUCT_IDS = [...BUILTIN_PRODUCTS.map((p) => p.id), LOOKALIKE, NOT_HEX];

function withProduct(r: ActivationRecord, productId: string): ActivationRecord {
  return {
    ...r,
    input: { ...r.input, productId },
    changes: r.changes.map((c) => (c.kind === 'cmid-upsert' ? { ...c, entry: { ...c.entry, productId } } : c)),
  };
}
let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let all: ClientRow[];

beforeAll(async () => {
  tmp = tempDir();
  store = openStore({ file: databasePath(tmp.dir), clock });
  // Deterministic spread of every column, with duplicates so ties need the cmid tie-break.
  const records = Array.from({ length: N }, (_, n) =>
    activation({
      n,
      at: clock.now() - ((n * 7919) % 1000) * 60_000,
      productIndex: (n * 31) % BUILTIN_PRODUCTS.length,
      licenseState: ((n * 13) % 7) as LicenseState,
      isVm: n % 4 === 0,
      machineName: `${['ws', 'LAB', 'srv', 'Kiosk'][n % 4]}-${(n * 37) % 150}`,
      address: n % 5 === 0 ? `fd00::${n.toString(16)}` : `10.${n % 3}.${(n * 3) % 256}.${n % 256}`,
      result: n % 6 === 0 ? 'count-insufficient' : 'granted',
    }),
  );
  await Promise.all(records.map((r) => store.commitActivation(r)));
  for (let n = N; n < N + EXTRA; n++) {
    const r = activation({ n, at: clock.now() - n * 60_000, licenseState: (n % 7) as LicenseState, isVm: n % 2 === 0 });
    await store.commitActivation(withProduct(r, n % 2 === 0 ? LOOKALIKE : NOT_HEX));
  }
  // A few clients come back, so request counts differ.
  for (let n = 0; n < N; n += 9) await store.commitActivation(records[n]!);
  all = everyClient(store);
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

const reference = (q: ClientWindowQuery) => referenceWindow(all, q, clock.now());

const queryArb: fc.Arbitrary<ClientWindowQuery> = fc.record({
  offset: fc.integer({ min: 0, max: 450 }),
  limit: fc.integer({ min: 0, max: 120 }),
  sort: fc.record({ column: fc.constantFrom(...CLIENT_SORT_COLUMNS), direction: fc.constantFrom('asc', 'desc') }),
  filter: fc.record(
    {
      text: fc.constantFrom('lab', 'KIOSK-1', 'fd00::', '10.1.', '-4', '%', '_', 'zzz', ' ws ', 'La', 'fd', '1', '0'),
      productId: fc.constantFrom(...PRODUCT_IDS),
      licenseState: fc.integer({ min: 0, max: 6 }).map((n) => n as LicenseState),
      isVm: fc.boolean(),
      lastResult: fc.constantFrom('granted' as const, 'count-insufficient' as const),
      seenWithinMs: fc.integer({ min: 0, max: 1200 }).map((m) => m * 60_000),
    },
    { requiredKeys: [] },
  ),
});

describe('windowed client queries', () => {
  it('holds every client once', () => {
    expect(all).toHaveLength(N + EXTRA);
    expect(new Set(all.map((r) => r.cmid)).size).toBe(N + EXTRA);
  });

  it('match a plain in-memory filter + sort + slice for any column, direction, filter and window', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const got = store.queryClients(q);
        const want = reference(q);
        expect(got.total).toBe(want.total);
        expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
        expect(got.offset).toBe(q.offset);
      }),
      { numRuns: 300, seed: 20260101 },
    );
  });

  it('return the same rows whichever way the window is read: a listed filter, or a walk of the sort index', () => {
    // The cap decides: a filter with at most that many matches is listed and sorted, else the sort
    // index is walked. Caps of 1 and 20 make a few hundred clients take every path.
    const readers = [1, 20, 10_000].map((countCap) => new ClientQueries(store.db, { countCap }));
    fc.assert(
      fc.property(queryArb, fc.constantFrom(...readers), (q, queries) => {
        const got = queries.window(q, clock.now());
        const want = reference(q);
        expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
        if (got.totalIsLowerBound) expect(got.total).toBeLessThanOrEqual(want.total);
        else expect(got.total).toBe(want.total);
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('find the same clients by any piece of a name, address or CMID (a short one at its start), in any case', () => {
    const fields = ['machineName', 'address', 'cmid'] as const;
    fc.assert(
      fc.property(
        fc.nat(N + EXTRA - 1),
        fc.constantFrom(...fields),
        fc.nat(40),
        fc.integer({ min: 1, max: 14 }),
        fc.boolean(),
        (i, field, from, length, upper) => {
          const value = all[i]![field];
          const start = from % value.length;
          const piece = value.slice(start, start + length);
          const text = upper ? piece.toUpperCase() : piece;
          const q: ClientWindowQuery = {
            offset: 0,
            limit: 1000,
            sort: { column: 'cmid', direction: 'asc' },
            filter: { text },
          };
          const got = store.queryClients(q);
          const want = reference(q);
          expect(got.total).toBe(want.total);
          expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('tell products apart whose ids share a prefix, or are not hexadecimal', () => {
    for (const productId of [DESKTOP, LOOKALIKE, NOT_HEX]) {
      const q: ClientWindowQuery = {
        offset: 0,
        limit: 1000,
        sort: { column: 'lastSeen', direction: 'desc' },
        filter: { productId },
      };
      const want = reference(q);
      expect(want.total).toBeGreaterThan(0);
      expect(store.queryClients(q).rows.map((r) => r.cmid)).toEqual(want.rows);
    }
  });

  it('page deep into a filtered list in steps that tile it exactly', () => {
    const sort = { column: 'machineName', direction: 'asc' } as const;
    const filter = { licenseState: 3 as LicenseState };
    const want = reference({ offset: 0, limit: 1000, sort, filter });
    const pages: string[] = [];
    for (let offset = 0; offset < want.total; offset += 7) {
      const w = store.queryClients({ offset, limit: 7, sort, filter });
      expect(w.total).toBe(want.total);
      pages.push(...w.rows.map((r) => r.cmid));
    }
    expect(pages).toEqual(want.rows);
  });

  it('continue after a cursor exactly where offset paging would, for any sort, filter and read path', () => {
    const readers = [1, 20, 10_000].map((countCap) => new ClientQueries(store.db, { countCap }));
    fc.assert(
      fc.property(queryArb, fc.integer({ min: 1, max: 60 }), fc.constantFrom(...readers), (q, limit, queries) => {
        const want = reference({ ...q, limit: 1000 });
        const got: string[] = [];
        let page: ClientPageQuery = { ...q, limit };
        // Bounded: at most one page per row, plus the empty last one.
        for (let i = 0; i <= N + EXTRA; i++) {
          const w = queries.window(page, clock.now());
          if (!w.totalIsLowerBound) expect(w.total).toBe(want.total);
          got.push(...w.rows.map((r) => r.cmid));
          if (w.rows.length < limit) break;
          page = { ...q, offset: 0, limit, after: cursorOf(w.rows.at(-1)!, q.sort.column) };
        }
        expect(got).toEqual(want.rows);
      }),
      { numRuns: 150, seed: 99 },
    );
  });

  it("seek to a cursor in the sort column's index, so a deep page costs what the first does", () => {
    const queries = new ClientQueries();
    for (const column of CLIENT_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        const row = all[all.length >> 1]!;
        const q: ClientPageQuery = {
          offset: 0,
          limit: 50,
          sort: { column, direction },
          filter: {},
          after: cursorOf(row, column),
        };
        const steps = queries.windowSteps(q, clock.now());
        const plans: string[] = [];
        for (let next = steps.next(); !next.done; ) {
          const { sql, params } = next.value;
          if (sql.includes('INDEXED BY')) {
            const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
            plans.push(...plan.map((p) => p.detail));
          }
          next = steps.next(new SyncSteps(store.db).execute(next.value));
        }
        expect(plans.join('; '), `${column} ${direction}`).toMatch(/^SEARCH c USING (COVERING )?INDEX \S+ \(/);
        expect(plans.join('; '), `${column} ${direction}`).not.toMatch(/SCAN|TEMP B-TREE/);
      }
    }
  });

  it('refuse a cursor whose value does not fit the sort column', () => {
    const queries = new ClientQueries(store.db);
    const q = (column: 'lastSeen' | 'machineName', value: string | number): ClientPageQuery => ({
      offset: 0,
      limit: 10,
      sort: { column, direction: 'asc' },
      filter: {},
      after: { value, cmid: all[0]!.cmid },
    });
    for (const bad of [q('lastSeen', '2026-01-01'), q('lastSeen', Number.NaN), q('machineName', 5)]) {
      expect(() => queries.window(bad, clock.now())).toThrow(expect.objectContaining({ code: 'STORE_BAD_QUERY' }));
    }
    expect(queries.window(q('machineName', all[0]!.machineName), clock.now()).rows.length).toBeGreaterThan(0);
  });

  it('treat % and _ in the text filter literally', () => {
    const q = { offset: 0, limit: 10, sort: { column: 'cmid', direction: 'asc' }, filter: { text: '%' } } as const;
    expect(store.queryClients(q).total).toBe(0);
  });

  it('refuse a malformed query with STORE_BAD_QUERY instead of running it', () => {
    const base: ClientWindowQuery = { offset: 0, limit: 10, sort: { column: 'cmid', direction: 'asc' }, filter: {} };
    const bad: unknown[] = [
      { ...base, limit: 100_000 },
      { ...base, offset: -1 },
      { ...base, sort: { column: 'cmid; DROP TABLE clients', direction: 'asc' } },
      { ...base, sort: { column: 'cmid', direction: 'sideways' } },
      { ...base, filter: { licenseState: 9 } },
    ];
    for (const q of bad) {
      expect(() => store.queryClients(q as ClientWindowQuery)).toThrow(
        expect.objectContaining({ code: 'STORE_BAD_QUERY' }),
      );
    }
    expect(store.stats().clients).toBe(N + EXTRA);
  });
});
