/**
 * When the text filter lists its matches through the full-text index, and when it leaves them to a
 * walk: a text whose every gram is common, and that a sample of the clients finds often, is not
 * listed (the listing would read long posting lists only to stop at the cap); a text whose grams
 * are common but which is itself rare still is, and its total is exact. And ruling a column out of
 * a text test, which must never be wrong. And a seen-within window read from the last-seen index,
 * whose entries hold every text column (schema 8): sorted there, and counted as it is sorted.
 */
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock, type ClientRow, type ClientWindowQuery } from '../../../shared/domain/index.js';
import { ClientQueries, type CountBudget } from '../../../src-main/store/client-query.js';
import { ClientTextSearch } from '../../../src-main/store/client-text-search.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import { activation, everyClient, referenceWindow, tempDir } from './fixtures.js';

const clock = new VirtualClock(Date.UTC(2026, 5, 1));
/** The probe then lists at most 20 matches, and "common" is 30 or more. */
const COUNT_CAP = 10;

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let all: ClientRow[];

beforeAll(async () => {
  tmp = tempDir();
  store = openStore({ file: databasePath(tmp.dir), clock });
  // Two name families share every 4-gram of "aa-bb" between them, and one client has it whole.
  const names = Array.from({ length: 400 }, (_, n) => (n % 2 === 0 ? `aa-bz-${n}` : `za-bb-${n}`));
  names[123] = 'aa-bb-x';
  await Promise.all(names.map((machineName, n) => store.commitActivation(activation({ n, machineName }))));
  all = everyClient(store);
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

/** A reader of the store's database that records every statement it prepares. */
function recordingReader(options: { countBudget?: CountBudget } = {}): { queries: ClientQueries; prepared: string[] } {
  const prepared: string[] = [];
  const db = new Proxy(store.db, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (sql: string) => {
          prepared.push(sql);
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Database;
  return { queries: new ClientQueries(db, { countCap: COUNT_CAP, ...options }), prepared };
}

/** The listing of a text's matches (a frequency estimate reads a few postings only, one row each). */
const listing = (sql: string) => /json_group_array\(rowid\) FROM \(SELECT rowid FROM clients_(grams|text) /.test(sql);

function windowOf(text: string): ClientWindowQuery {
  return { offset: 0, limit: 10, sort: { column: 'machineName', direction: 'asc' }, filter: { text } };
}

describe('listing a text filter’s matches', () => {
  it('is skipped for a text whose grams are all common and which a sample finds often', () => {
    const { queries, prepared } = recordingReader();
    const q = windowOf('aa-bz');
    const got = queries.window(q, clock.now());
    expect(prepared.filter(listing)).toEqual([]);
    const want = referenceWindow(all, q, clock.now());
    expect(want.total).toBeGreaterThan(COUNT_CAP * 3);
    expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
    expect(got.totalIsLowerBound).toBe(true);
    expect(got.total).toBe(COUNT_CAP);
  });

  it('still happens for a text whose grams are all common but which is itself rare: its total is exact', () => {
    const { queries, prepared } = recordingReader();
    const q = windowOf('aa-bb');
    const got = queries.window(q, clock.now());
    expect(prepared.filter(listing).length).toBeGreaterThan(0);
    expect(got.rows.map((r) => r.machineName)).toEqual(['aa-bb-x']);
    expect(got.total).toBe(1);
    expect(got.totalIsLowerBound).toBeUndefined();
  });

  it('rules a column out only when no client has the text there, through the 4-gram index for names and addresses', async () => {
    const search = new ClientTextSearch((sql) => store.db.prepare(sql));
    // 'aa-b' is in every other name, in no address; the probe reads one posting list, restricted to the columns.
    expect(search.mayBeIn('aa-bz', ['machine_name'], 1)).toBe(true);
    expect(search.mayBeIn('aa-bz', ['address'], 1)).toBe(false);
    expect(search.mayBeIn('10.0.0', ['machine_name'], 1)).toBe(false);
    expect(search.mayBeIn('10.0.0', ['address'], 1)).toBe(true);
    // A client renamed to an address-like name: the name column now may have it.
    await store.commitActivation(activation({ n: 7, machineName: 'host-10.0.0.7' }));
    store.applyPending();
    expect(search.mayBeIn('10.0.0', ['machine_name'], 1)).toBe(true);
  });

  it('reads a seen-within window from the last-seen index, sorted by its entries, and counts it exactly as it sorts', () => {
    // Clients 200..399 were seen within the window; half of them have the text.
    const seenWithinMs = clock.now() - (Date.UTC(2026, 0, 1) + 200 * 1000);
    for (const column of ['machineName', 'address', 'cmid'] as const) {
      const q: ClientWindowQuery = {
        offset: 3,
        limit: 10,
        sort: { column, direction: 'desc' },
        filter: { text: 'aa-bz', seenWithinMs },
      };
      // A count budget that could not count them: the total comes from the sort.
      const { queries, prepared } = recordingReader({ countBudget: { entries: 1, rows: 1 } });
      const got = queries.window(q, clock.now(), 'range');
      const want = referenceWindow(all, q, clock.now());
      expect(want.total).toBe(100);
      expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
      expect(got.total).toBe(100);
      expect(got.totalIsLowerBound).toBeUndefined();
      const sorted = prepared.filter((sql) =>
        /COUNT\(\*\) OVER \(\) AS n FROM clients INDEXED BY clients_by_last_seen/.test(sql),
      );
      expect(sorted).toHaveLength(1);
    }
  });
});
