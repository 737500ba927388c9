/**
 * Trigram summaries of the machine-name index (name-blocks.ts): a block they rule out for a text
 * must hold no client with the text, before and after the writer reports new names, and windows
 * sorted by name read through them must equal the reference.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_PRODUCTS, VirtualClock, type ClientWindowQuery } from '../../../shared/domain/index.js';
import { ClientQueries, cursorOf } from '../../../src-main/store/client-query.js';
import { NameBlocks, type NameRange } from '../../../src-main/store/name-blocks.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import { activation, referenceWindow, tempDir } from './fixtures.js';

const clock = new VirtualClock(Date.UTC(2026, 5, 1));
const PARTS = ['pc', 'PC', 'lab', 'Lab', 'srv', 'kiosk', 'ñandú', '日本', 'x'];

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let next = 0;

function nameOf(seed: number): string {
  const a = PARTS[seed % PARTS.length]!;
  const b = PARTS[(seed * 7 + 3) % PARTS.length]!;
  return `${a}-${(seed * 37) % 400}-${b}${seed % 11 === 0 ? '-1' : ''}`;
}

async function addClients(count: number, name: (n: number) => string = nameOf): Promise<void> {
  const records = Array.from({ length: count }, () => {
    const n = next++;
    return activation({ n, at: clock.now() - (n % 500) * 60_000, machineName: name(n) });
  });
  await Promise.all(records.map((r) => store.commitActivation(r)));
  // The inventory follows the journal; reads through the store apply it first, these read the table.
  store.applyPending();
}

function allNames(): string[] {
  return store.db.prepare('SELECT machine_name FROM clients ORDER BY rowid').pluck().all() as string[];
}

/** In the index's order (UTF-8 bytes), as SQLite compares. */
const inRange = (name: string, r: NameRange) => {
  const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return (r.lo === undefined || cmp(name, r.lo) >= 0) && (r.hi === undefined || cmp(name, r.hi) < 0);
};

/** ASCII case folding, as LIKE does. */
const folded = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function expectSound(blocks: NameBlocks, texts: string[]): number {
  let narrowed = 0;
  const names = allNames();
  expect(names.length).toBeGreaterThan(100);
  for (const text of texts) {
    const ranges = blocks.candidates(text);
    if (!ranges) continue;
    narrowed++;
    const t = folded(text);
    for (const name of names) {
      const found = ranges.some((r) => inRange(name, r));
      if (folded(name).includes(t)) expect(found, `${text} in ${name}`).toBe(true);
    }
  }
  return narrowed;
}

beforeEach(() => {
  tmp = tempDir();
  store = openStore({ file: databasePath(tmp.dir), clock });
  next = 0;
});

afterEach(() => {
  store.close();
  tmp.cleanup();
});

const TEXTS = ['lab', 'LAB-1', 'kiosk-3', 'ñandú-1', '日本-', 'srv-12', '-1', 'x-39', 'pc-', 'zzz', 'ab-', '0000-'];

describe('name blocks', () => {
  it('never rule out a block holding a client with the text, however the blocks were filled', async () => {
    await addClients(400);
    const blocks = new NameBlocks(store.db, 8);
    blocks.buildNow();
    expect(expectSound(blocks, TEXTS)).toBeGreaterThan(3);
    // Names the writer reports later: before the first block, between blocks, after the last, and
    // many into one block, so that it is split when a query next reaches it.
    const names = ['AAA-lab-new', 'kiosk-3-new', 'zzz-last', ...Array.from({ length: 60 }, (_, i) => `lab-7-${i}`)];
    const before = next;
    await addClients(names.length, (n) => names[n - before]!);
    for (const name of allNames().slice(400)) blocks.add(name);
    expectSound(blocks, [...TEXTS, 'new', 'AAA', 'lab-7-5']);
  });

  it('learn names reported while a build in slices is under way', async () => {
    await addClients(300);
    // One name in more clients than a slice reads: counted, not read, and kept in one block.
    await addClients(150, () => 'same-name');
    const blocks = new NameBlocks(store.db, 4, 64);
    const steps: (() => void)[] = [];
    blocks.buildInSlices(
      (s) => steps.push(s),
      () => true,
    );
    steps.shift()!();
    expect(blocks.ready).toBe(false);
    expect(blocks.candidates('lab')).toBeUndefined();
    await addClients(3, (n) => `early-${n}-zz`);
    for (const name of allNames().slice(450)) blocks.add(name);
    while (steps.length > 0) steps.shift()!();
    expect(blocks.ready).toBe(true);
    expectSound(blocks, [...TEXTS, 'early', '-zz', 'same-name', 'e-na']);
  });

  it('give windows sorted by machine name equal to the reference, with offsets and cursors', async () => {
    await addClients(300);
    const blocks = new NameBlocks(store.db, 6);
    blocks.buildNow();
    const queries = new ClientQueries(store.db, { trigramSample: 20, nameBlocks: blocks, countCap: 5 });
    const all = () =>
      store.queryClients({ offset: 0, limit: 1000, sort: { column: 'cmid', direction: 'asc' }, filter: {} }).rows;
    let rows = all();
    const arb = fc.record({
      offset: fc.integer({ min: 0, max: 40 }),
      limit: fc.integer({ min: 0, max: 30 }),
      direction: fc.constantFrom('asc' as const, 'desc' as const),
      text: fc.constantFrom(...TEXTS),
      product: fc.option(fc.constantFrom(...BUILTIN_PRODUCTS.map((p) => p.id)), { nil: undefined }),
      page: fc.integer({ min: 0, max: 3 }),
    });
    const check = () =>
      fc.assert(
        fc.property(arb, ({ offset, limit, direction, text, product, page }) => {
          const q: ClientWindowQuery = {
            offset,
            limit,
            sort: { column: 'machineName', direction },
            filter: { text, ...(product ? { productId: product } : {}) },
          };
          const want = referenceWindow(rows, q, clock.now());
          expect(queries.window(q, clock.now()).rows.map((r) => r.cmid)).toEqual(want.rows);
          // The same matches page by page, each page after the last row's cursor.
          const paged: string[] = [];
          let p: ClientWindowQuery = { ...q, offset: 0, limit: 7 };
          for (let i = 0; i <= page; i++) {
            const w = queries.window(p, clock.now());
            paged.push(...w.rows.map((r) => r.cmid));
            if (w.rows.length < 7) break;
            p = { ...p, after: cursorOf(w.rows.at(-1)!, 'machineName') };
          }
          const reference = referenceWindow(rows, { ...q, offset: 0, limit: 1000 }, clock.now()).rows;
          expect(paged).toEqual(reference.slice(0, paged.length));
        }),
        { numRuns: 150, seed: 11 },
      );
    check();
    await addClients(50, (n) => `${n % 2 ? 'AAA' : 'zzz'}-${nameOf(n)}`);
    for (const name of allNames().slice(300)) blocks.add(name);
    rows = all();
    check();
  });

  it('let a bounded count walk only where a name may have the text', async () => {
    await addClients(300);
    await addClients(60, (n) => `zz-kiosk-${n}`);
    const blocks = new NameBlocks(store.db, 8);
    blocks.buildNow();
    const product = BUILTIN_PRODUCTS[2]!.id;
    const q: ClientWindowQuery = {
      offset: 0,
      limit: 3,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: { text: 'zz-kiosk', productId: product },
    };
    const want = referenceWindow(
      store.queryClients({ offset: 0, limit: 1000, sort: { column: 'cmid', direction: 'asc' }, filter: {} }).rows,
      q,
      clock.now(),
    );
    expect(want.total).toBeGreaterThan(3);
    // A budget of 80 entries: the first 80 names hold no match; the 60 "zz-kiosk" names sort last.
    // A cap of 20: the text is in more clients than that (its rowids are not listed), its matches with the product fewer.
    const options = { trigramSample: 20, countCap: 20, countBudget: { entries: 80, rows: 5 } };
    const plain = new ClientQueries(store.db, options).window(q, clock.now());
    expect(plain).toMatchObject({ total: 3, totalIsLowerBound: true });
    const summarized = new ClientQueries(store.db, { ...options, nameBlocks: blocks }).window(q, clock.now());
    expect(summarized.total).toBe(want.total);
    expect(summarized.totalIsLowerBound).toBeUndefined();
    expect(summarized.rows.map((r) => r.cmid)).toEqual(want.rows);
  });

  it('list a text only names can hold through the summaries: its total is exact past the count cap', async () => {
    await addClients(300);
    await addClients(30, (n) => `zz-kiosk-${n}`);
    const blocks = new NameBlocks(store.db, 8);
    blocks.buildNow();
    const all = store.queryClients({ offset: 0, limit: 1000, sort: { column: 'cmid', direction: 'asc' }, filter: {} });
    const options = { trigramSample: 20, countCap: 5 };
    for (const filter of [{ text: 'zz-kiosk' }, { text: 'zz-kiosk', isVm: false }, { text: 'KIOSK-3' }]) {
      const q: ClientWindowQuery = { offset: 0, limit: 4, sort: { column: 'lastSeen', direction: 'desc' }, filter };
      const want = referenceWindow(all.rows, q, clock.now());
      expect(want.total).toBeGreaterThan(5);
      const plain = new ClientQueries(store.db, options).window(q, clock.now());
      expect(plain.totalIsLowerBound).toBe(true);
      const summarized = new ClientQueries(store.db, { ...options, nameBlocks: blocks }).window(q, clock.now());
      expect(summarized.rows.map((r) => r.cmid)).toEqual(want.rows);
      expect(summarized.total).toBe(want.total);
      expect(summarized.totalIsLowerBound).toBeUndefined();
    }
  });

  it('are kept by a store that writes: a name added after the build is found', async () => {
    store.close();
    store = openStore({ file: databasePath(tmp.dir), clock, nameBlocks: 'now' });
    // Enough names for a few blocks of the default size, all "pc-…", then one that sorts among them.
    await addClients(2100, (n) => `pc-${String(n).padStart(5, '0')}`);
    store.close();
    store = openStore({ file: databasePath(tmp.dir), clock, nameBlocks: 'now' });
    const q: ClientWindowQuery = {
      offset: 0,
      limit: 10,
      sort: { column: 'machineName', direction: 'desc' },
      filter: { text: 'kiosk' },
    };
    expect(store.queryClients(q).rows).toEqual([]);
    await addClients(1, () => 'pc-00500-kiosk');
    expect(store.queryClients(q).rows.map((r) => r.machineName)).toEqual(['pc-00500-kiosk']);
  });
});
