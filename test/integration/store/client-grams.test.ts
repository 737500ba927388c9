/**
 * The 4-gram index of machine names and addresses (migration 7, gram-tokens.ts): a text that only
 * a name or an address can hold, of four characters or more (by phrase) or of one or two (by
 * prefix, when it looks rare), is found through it, and must find
 * exactly what LIKE finds (ASCII letters folded, nothing else), whatever the characters: non-ASCII
 * letters of either case, characters beyond the BMP, a lone surrogate (stored as U+FFFD), and the
 * characters the encoding escapes ("z", punctuation, space). The writer keeps it when a client is
 * renamed or moves.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock, type ClientRow, type ClientWindowQuery } from '../../../shared/domain/index.js';
import { ClientQueries } from '../../../src-main/store/client-query.js';
import { gramWords } from '../../../src-main/store/gram-tokens.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import { activation, tempDir } from './fixtures.js';

const clock = new VirtualClock(Date.UTC(2026, 5, 1));
const PARTS = ['pc', 'PC', 'Lab', 'ñandú', 'ÑANDÚ', '日本', '😀', 'z', 'Zz', 'zz-', '%_', 'a b', 'x\uD800y', 'Kiosk'];
const N = 300;

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;

function nameOf(n: number): string {
  return `${PARTS[n % PARTS.length]}-${(n * 37) % 90}${PARTS[(n * 5 + 2) % PARTS.length]}`;
}

function addressOf(n: number): string {
  if (n % 11 === 0) return 'unknown';
  return n % 3 === 0 ? `fd00::${(n * 97).toString(16)}` : `10.${n % 4}.${(n * 7) % 256}.${n % 200}`;
}

/** What SQLite stores, and LIKE compares: well-formed text (a lone surrogate becomes U+FFFD). */
const stored = (s: string) =>
  Array.from(s, (c) => (c.length === 1 && c >= '\uD800' && c <= '\uDFFF' ? '\uFFFD' : c)).join('');
/** ASCII letters folded only, as LIKE folds them. */
const fold = (s: string) => stored(s).replace(/[A-Z]/g, (c) => c.toLowerCase());

function all(): ClientRow[] {
  return store.queryClients({ offset: 0, limit: 1000, sort: { column: 'cmid', direction: 'asc' }, filter: {} }).rows;
}

function expected(text: string): string[] {
  const t = fold(text.trim());
  return all()
    .filter((r) => [r.machineName, r.address, r.cmid].some((v) => fold(v).includes(t)))
    .map((r) => r.cmid);
}

const query = (text: string, column: 'cmid' | 'lastSeen' = 'cmid'): ClientWindowQuery => ({
  offset: 0,
  limit: 1000,
  sort: { column, direction: 'asc' },
  filter: { text },
});

beforeAll(async () => {
  tmp = tempDir();
  store = openStore({ file: databasePath(tmp.dir), clock });
  for (let n = 0; n < N; n++) {
    await store.commitActivation(
      activation({ n, at: clock.now() - ((n * 7919) % 1000) * 60_000, machineName: nameOf(n), address: addressOf(n) }),
    );
  }
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

describe('the 4-gram index', () => {
  it('encodes each gram one-to-one, ASCII letters folded as LIKE folds them and nothing else', () => {
    // One gram per character, the value's end padded with "zs", which no character's code is.
    expect(gramWords('PC-12')).toBe('pcz002d1 cz002d12 z002d12zs 12zszs 2zszszs');
    expect(gramWords('ab')).toBe('abzszs bzszszs');
    expect(gramWords('')).toBe('');
    // "z" is escaped, so "z" + hex digits of an escaped character cannot be mistaken for it.
    expect(gramWords('zzzz').split(' ')[0]).toBe('z007az007az007az007a');
    expect(gramWords('z002')).not.toBe(gramWords('-..2'));
    expect(gramWords('ÑAND')).not.toBe(gramWords('ñand'));
    expect(gramWords('x\uD800yz')).toBe(gramWords('x\uFFFDyz'));
  });

  it('finds exactly the clients LIKE finds, for any piece of a name or address, in any ASCII case', () => {
    // Pieces of one to three characters go to the prefix search (or the trigram index), longer ones to 4-grams.
    const clients = all();
    const readers = [new ClientQueries(store.db), new ClientQueries(store.db, { trigramSample: 5, idSets: 'always' })];
    fc.assert(
      fc.property(
        fc.nat(N - 1),
        fc.boolean(),
        fc.nat(30),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.nat(1),
        fc.constantFrom('cmid', 'lastSeen') as fc.Arbitrary<'cmid' | 'lastSeen'>,
        (i, name, from, length, flips, which, column) => {
          const value = name ? clients[i]!.machineName : clients[i]!.address;
          const start = from % value.length;
          const piece = [...value.slice(start, start + length)]
            .map((c, k) => (flips[k] ? c.toUpperCase() : c))
            .join('');
          const got = readers[which]!.window(query(piece, column), clock.now());
          const want = expected(piece);
          expect(got.total, JSON.stringify(piece)).toBe(want.length);
          expect(got.rows.map((r) => r.cmid).sort()).toEqual([...want].sort());
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('finds nothing for texts no client has, however close', () => {
    const texts = ['ñANDÚ', 'Ñandú', '日本日本', 'zz-z', '%_%_', 'pc-99', '10.9.', 'fd00::zz', 'unknowns'];
    for (const text of [...texts, 'zq', 'Ñ', '本日', 'ZS', 's$', '😀😀']) {
      const w = store.queryClients(query(text));
      expect(w.rows.map((r) => r.cmid)).toEqual(expected(text));
    }
  });

  it('follows a client that is renamed or moves: found by its new name and address, not its old ones', async () => {
    const n = 7;
    const before = all().find((r) => r.cmid === activation({ n }).input.cmid)!;
    expect(store.queryClients(query(before.machineName)).rows.map((r) => r.cmid)).toContain(before.cmid);
    await store.commitActivation(
      activation({ n, at: clock.now(), machineName: 'renamed-host-0042', address: '192.168.77.200' }),
    );
    const byName = store.queryClients(query('ED-HOST-004'));
    expect(byName.rows.map((r) => r.cmid)).toEqual([before.cmid]);
    const byAddress = store.queryClients(query('168.77.2'));
    expect(byAddress.rows.map((r) => r.cmid)).toEqual([before.cmid]);
    expect(store.queryClients(query(before.machineName)).rows.map((r) => r.cmid)).not.toContain(before.cmid);
  });
});
