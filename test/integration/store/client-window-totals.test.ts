/**
 * Totals of client windows: exact, except that a filter matching more clients than a cap is
 * counted only up to the cap, or (a text in more clients than the cap, for the console) among
 * the first cap + 1 clients the full-text index lists: a lower bound, flagged. The cap is lowered
 * here so that a few hundred clients reach it; the rows of a window are exact either way.
 */
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
import { ClientQueries, COUNT_CAP, cursorOf } from '../../../src-main/store/client-query.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import { activation, everyClient, referenceWindow, tempDir } from './fixtures.js';

const clock = new VirtualClock(Date.UTC(2026, 5, 1));
const N = 300;
const CAP = 25;

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let queries: ClientQueries;
let all: ClientRow[];

beforeAll(async () => {
  tmp = tempDir();
  store = openStore({ file: databasePath(tmp.dir), clock });
  // "pc-" in every name, "lab" in a third, "kiosk-1" in a few: texts below, between and above the caps.
  const records = Array.from({ length: N }, (_, n) =>
    activation({
      n,
      at: clock.now() - ((n * 7919) % 1000) * 60_000,
      productIndex: (n * 31) % BUILTIN_PRODUCTS.length,
      licenseState: ((n * 13) % 7) as LicenseState,
      isVm: n % 4 === 0,
      machineName: `pc-${['lab', 'ws', 'srv'][n % 3]}-${n % 7 === 0 ? 'kiosk-' : ''}${(n * 37) % 150}`,
    }),
  );
  for (const r of records) await store.commitActivation(r);
  // The only client with "fe80:" in its address and not in its name: a window sorted by machine
  // name must not rule the address column out of the text test. The zone is not stored.
  await store.commitActivation(activation({ n: N, machineName: 'kiosk-zone', address: 'fe80::1%lab0' }));
  queries = new ClientQueries(store.db, { countCap: CAP });
  all = everyClient(store);
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

const reference = (q: ClientWindowQuery) => referenceWindow(all, q, clock.now());

const window = (text: string, filter: ClientWindowQuery['filter'] = {}): ClientWindowQuery => ({
  offset: 0,
  limit: 10,
  sort: { column: 'machineName', direction: 'asc' },
  filter: { ...filter, text },
});

describe('client window totals', () => {
  it('are exact for a text in fewer clients than the cap, and say so by leaving the flag unset', () => {
    const few = queries.window(window('kiosk-1'), clock.now());
    expect(few.total).toBe(reference(window('kiosk-1')).total);
    expect(few.total).toBeLessThan(CAP);
    expect(few.totalIsLowerBound).toBeUndefined();
  });

  it('are exact for a text the index lists in at most the cap of clients, a bound at the cap past that', () => {
    const want = reference(window('lab-1')).total;
    expect(want).toBeGreaterThan(3);
    const listed = new ClientQueries(store.db, { countCap: want });
    const exact = listed.window(window('lab-1'), clock.now());
    expect(exact.total).toBe(want);
    expect(exact.totalIsLowerBound).toBeUndefined();
    const below = new ClientQueries(store.db, { countCap: want - 1 });
    expect(below.window(window('lab-1'), clock.now())).toMatchObject({ total: want - 1, totalIsLowerBound: true });
    // The CLI counts on through the table, up to its cap.
    expect(below.window(window('lab-1'), clock.now(), { wholeCount: true })).toMatchObject({
      total: want - 1,
      totalIsLowerBound: true,
    });
    expect(listed.window(window('lab-1'), clock.now(), { wholeCount: true }).total).toBe(want);
  });

  it('stop counting at the cap for a text in many clients: "more than CAP", never more than exist', () => {
    for (const text of ['pc-', 'lab', 'pc', 'P']) {
      const want = reference(window(text));
      expect(want.total).toBeGreaterThan(CAP);
      const w = queries.window(window(text), clock.now());
      expect(w).toMatchObject({ total: CAP, totalIsLowerBound: true });
      expect(w.rows.map((r) => r.cmid)).toEqual(want.rows);
    }
  });

  it('with the store defaults, a text in every client is "more than COUNT_CAP" only when there are that many', () => {
    const w = store.queryClients(window('pc-'));
    // 300 clients: far below COUNT_CAP, so the probe lists them all and the total is exact.
    expect(w.total).toBe(N);
    expect(w.totalIsLowerBound).toBeUndefined();
    expect(COUNT_CAP).toBeGreaterThan(N);
  });

  it('are exact or an honest lower bound for any query, and the rows are always exact', () => {
    const arb = fc.record({
      offset: fc.integer({ min: 0, max: 320 }),
      limit: fc.integer({ min: 0, max: 80 }),
      sort: fc.record({ column: fc.constantFrom(...CLIENT_SORT_COLUMNS), direction: fc.constantFrom('asc', 'desc') }),
      filter: fc.record(
        {
          text: fc.constantFrom('pc-', 'lab', 'srv-1', 'kiosk', 'pc', 'P', 'K', '-1', 'zzz', '10.0.', '10', '0'),
          productId: fc.constantFrom(...BUILTIN_PRODUCTS.map((p) => p.id)),
          licenseState: fc.integer({ min: 0, max: 6 }).map((n) => n as LicenseState),
          isVm: fc.boolean(),
          seenWithinMs: fc.integer({ min: 0, max: 1200 }).map((m) => m * 60_000),
        },
        { requiredKeys: [] },
      ),
    }) as fc.Arbitrary<ClientWindowQuery>;
    fc.assert(
      fc.property(arb, fc.boolean(), (q, wholeCount) => {
        const got = queries.window(q, clock.now(), { wholeCount });
        const want = reference(q);
        expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
        if (got.totalIsLowerBound) {
          expect(got.total).toBeLessThanOrEqual(Math.min(want.total, CAP));
          // Only a filter with more matches than the cap, or a text with more, is ever a bound.
          expect(want.total > CAP || (q.filter.text ?? '').trim() !== '').toBe(true);
        } else expect(got.total).toBe(want.total);
        if (wholeCount && got.totalIsLowerBound) expect(got.total).toBe(CAP);
      }),
      { numRuns: 400, seed: 5 },
    );
  });

  it('find a client whose address alone has the text, in a walk of the machine-name index', () => {
    const q: ClientWindowQuery = { ...window('fe80:'), limit: 1000 };
    const w = queries.window(q, clock.now());
    expect(w.rows.map((r) => [r.machineName, r.address])).toEqual([['kiosk-zone', 'fe80::1']]);
    expect(w.total).toBe(1);
    // The zone named this host's interface; it is not stored, so no text finds the client by it.
    expect(queries.window(window('lab0'), clock.now()).rows).toEqual([]);
  });

  it('page through every match of a bounded text with cursors, past the bound', () => {
    const q: ClientWindowQuery = { ...window('lab'), limit: 7 };
    const want = reference({ ...q, limit: 1000 });
    expect(want.total).toBeGreaterThan(CAP);
    const got: string[] = [];
    let page: ClientWindowQuery = q;
    for (let i = 0; i <= N; i++) {
      const w = queries.window(page, clock.now());
      expect(w).toMatchObject({ total: CAP, totalIsLowerBound: true });
      got.push(...w.rows.map((r) => r.cmid));
      if (w.rows.length < q.limit) break;
      page = { ...q, after: cursorOf(w.rows.at(-1)!, q.sort.column) };
    }
    expect(got).toEqual(want.rows);
  });
});
