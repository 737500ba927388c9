/**
 * The clients' filterable keys in memory (client-keys.ts): windows whose filters are applied to the
 * text's listed matches through them equal the reference, with exact totals; the keys follow every
 * write of the store's own writer, and are dropped when another connection writes.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUILTIN_PRODUCTS,
  CLIENT_SORT_COLUMNS,
  VirtualClock,
  type ClientWindowQuery,
  type LicenseState,
} from '../../../shared/domain/index.js';
import { ClientKeys } from '../../../src-main/store/client-keys.js';
import { ClientQueries } from '../../../src-main/store/client-query.js';
import { NameBlocks } from '../../../src-main/store/name-blocks.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import type { ActivationRecord } from '../../../src-main/store/types.js';
import { activation, everyClient, referenceWindow, tempDir } from './fixtures.js';

const clock = new VirtualClock(Date.UTC(2026, 5, 1));
const DESKTOP = BUILTIN_PRODUCTS[0]!.id;
/** Its group_key hash is the desktop's: the key test cannot tell them apart, only the cutoff folds. */
const LOOKALIKE = `${DESKTOP.slice(0, 4)}ffff-0000-4000-8000-000000000001`;
const PRODUCT_IDS = [...BUILTIN_PRODUCTS.map((p) => p.id), LOOKALIKE];
/** So small that, read from the table, a text with a product filter is counted as a lower bound. */
const TINY_BUDGET = { entries: 5, rows: 5 };

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;

function client(n: number, at: number, change = 0): ActivationRecord {
  const r = activation({
    n,
    at,
    productIndex: (n + change) % BUILTIN_PRODUCTS.length,
    licenseState: ((n * 3 + change) % 7) as LicenseState,
    isVm: (n + change) % 3 === 0,
    machineName: `${['ws', 'lab', 'kiosk'][n % 3]}-${n % 90}`,
    address: `10.${n % 4}.${n % 200}.${(n * 7) % 256}`,
  });
  if (n % 9 !== 4) return r;
  return { ...r, input: { ...r.input, productId: LOOKALIKE } };
}

async function commit(records: ActivationRecord[]): Promise<void> {
  await Promise.all(records.map((r) => store.commitActivation(r)));
  store.applyPending();
}

const queryArb: fc.Arbitrary<ClientWindowQuery> = fc.record({
  offset: fc.integer({ min: 0, max: 60 }),
  limit: fc.integer({ min: 1, max: 40 }),
  sort: fc.record({ column: fc.constantFrom(...CLIENT_SORT_COLUMNS), direction: fc.constantFrom('asc', 'desc') }),
  filter: fc.record(
    {
      text: fc.constantFrom('lab', 'ws-1', '10.1.', 'kiosk-4', '-2', 'zzzz'),
      productId: fc.constantFrom(...PRODUCT_IDS),
      licenseState: fc.integer({ min: 0, max: 6 }).map((n) => n as LicenseState),
      isVm: fc.boolean(),
      seenWithinMs: fc.integer({ min: 0, max: 600 }).map((m) => m * 60_000),
    },
    { requiredKeys: ['text'] },
  ),
});

beforeEach(() => {
  tmp = tempDir();
  // 'now': the name summaries and the keys are built at open, as the host has them once its background build is done.
  store = openStore({ file: databasePath(tmp.dir), clock, nameBlocks: 'now' });
});

afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe("the clients' keys in memory", () => {
  it('give windows equal to the reference, with exact totals, before and after the writer changes clients', async () => {
    await commit(Array.from({ length: 300 }, (_, n) => client(n, clock.now() - ((n * 7919) % 500) * 60_000)));
    const check = (runs: number, seed: number) => {
      const all = everyClient(store);
      fc.assert(
        fc.property(queryArb, (q) => {
          const got = store.queryClients(q);
          const want = referenceWindow(all, q, clock.now());
          expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
          expect(got.total).toBe(want.total);
          expect(got.totalIsLowerBound).toBeUndefined();
        }),
        { numRuns: runs, seed },
      );
    };
    check(250, 7);
    // Clients come back later with another product, state and VM flag; new ones arrive.
    clock.advance(45 * 60_000);
    await commit([
      ...Array.from({ length: 120 }, (_, i) => client(i * 2, clock.now() - i * 1000, 1)),
      ...Array.from({ length: 40 }, (_, i) => client(300 + i, clock.now() - i * 60_000)),
    ]);
    check(250, 8);
  });

  it('count a text with a product filter exactly where the table read can only give a lower bound', async () => {
    await commit(Array.from({ length: 300 }, (_, n) => client(n, clock.now() - n * 60_000)));
    const q: ClientWindowQuery = {
      offset: 0,
      limit: 5,
      sort: { column: 'machineName', direction: 'asc' },
      filter: { text: 'lab', productId: BUILTIN_PRODUCTS[1]!.id },
    };
    const want = referenceWindow(everyClient(store), q, clock.now());
    expect(want.total).toBeGreaterThan(TINY_BUDGET.rows * 2);
    const keys = new ClientKeys(store.db);
    keys.buildNow();
    const withKeys = new ClientQueries(store.db, { countBudget: TINY_BUDGET, keys }).window(q, clock.now());
    const without = new ClientQueries(store.db, { countBudget: TINY_BUDGET }).window(q, clock.now());
    expect(withKeys.total).toBe(want.total);
    expect(withKeys.totalIsLowerBound).toBeUndefined();
    expect(without.totalIsLowerBound).toBe(true);
    expect(without.total).toBeLessThan(want.total);
    for (const w of [withKeys, without]) expect(w.rows.map((r) => r.cmid)).toEqual(want.rows);
  });

  it('are dropped when another connection writes, and built again in slices', async () => {
    await commit(Array.from({ length: 200 }, (_, n) => client(n, clock.now() - n * 60_000)));
    const keys = new ClientKeys(store.db, 16);
    const steps: (() => void)[] = [];
    keys.buildInSlices(
      (step) => steps.push(step),
      () => true,
    );
    // Several slices, and not ready until the last has run.
    let slices = 0;
    while (steps.length > 0) {
      expect(keys.ready).toBe(false);
      steps.shift()!();
      slices++;
    }
    expect(slices).toBeGreaterThan(10);
    expect(keys.ready).toBe(true);
    const everyId = store.db.prepare('SELECT rowid FROM clients ORDER BY rowid').pluck().all() as number[];
    expect(keys.passing(everyId, undefined)).toEqual(everyId);
    const cutoff = clock.now() - 30 * 60_000;
    const recent = store.db
      .prepare('SELECT rowid FROM clients WHERE last_seen >= ? ORDER BY rowid')
      .pluck()
      .all(cutoff) as number[];
    expect(keys.seenSince(cutoff)).toEqual(recent);

    // The checkpointer's connection copies the WAL into the file: the data is the same, the keys stay.
    const checkpointer = new Database(store.file);
    checkpointer.pragma('wal_checkpoint(PASSIVE)');
    checkpointer.close();
    expect(keys.ready).toBe(true);
    expect(steps).toHaveLength(0);

    // Another process makes every client a VM: the keys no longer say so, and must not be used.
    const other = new Database(store.file);
    other.prepare('UPDATE clients SET is_vm = 1').run();
    other.close();
    expect(keys.ready).toBe(false);
    expect(keys.passing(everyId, (k) => k % 2 === 1)).toBeUndefined();
    expect(steps).toHaveLength(1);
    while (steps.length > 0) steps.shift()!();
    expect(keys.ready).toBe(true);
    expect(keys.passing(everyId, (k) => k % 2 === 1)).toEqual(everyId);

    // The store's own keys were dropped too: its windows are read from the table, and right.
    const q: ClientWindowQuery = {
      offset: 0,
      limit: 50,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: { text: 'lab', isVm: false },
    };
    expect(store.queryClients(q).rows).toEqual([]);
  });

  it('leave the store serving when their background build cannot read: windows are read without them', async () => {
    await commit(Array.from({ length: 120 }, (_, n) => client(n, clock.now() - n * 60_000)));
    const reader = new Database(store.file, { readonly: true });
    const keys = new ClientKeys(store.db, 16, reader);
    const blocks = new NameBlocks(store.db, 8, 16, reader);
    const steps: (() => void)[] = [];
    keys.buildInSlices(
      (step) => steps.push(step),
      () => true,
    );
    blocks.buildInSlices(
      (step) => steps.push(step),
      () => true,
    );
    // The builds' connection is lost before their first slice.
    reader.close();
    while (steps.length > 0) expect(() => steps.shift()!()).not.toThrow();
    expect(keys.ready).toBe(false);
    expect(blocks.ready).toBe(false);
    blocks.add('lab-999');
    const q: ClientWindowQuery = {
      offset: 0,
      limit: 10,
      sort: { column: 'machineName', direction: 'asc' },
      filter: { text: 'lab', isVm: true },
    };
    const got = new ClientQueries(store.db, { keys, nameBlocks: blocks }).window(q, clock.now());
    const want = referenceWindow(everyClient(store), q, clock.now());
    expect(got.rows.map((r) => r.cmid)).toEqual(want.rows);
    expect(got.total).toBe(want.total);
  });
});
