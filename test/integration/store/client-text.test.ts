// The text filter's rule for texts of one or two characters: found at the start of a machine name,
// address or CMID only, ASCII letters in either case and every other character exactly (as LIKE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock, type ClientWindowQuery } from '../../../shared/domain/index.js';
import { ClientQueries } from '../../../src-main/store/client-query.js';
import { successor } from '../../../src-main/store/client-text.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import { activation, cmidOf, tempDir } from './fixtures.js';

const clock = new VirtualClock(Date.UTC(2026, 5, 1));
const NAMES = ['Ébène-1', 'ébène-2', 'zz-top', 'mzz', 'ZZ9', '%off', 'a_b', '\u{10FFFF}x', 'pc-\u{10FFFF}'];

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;

beforeAll(async () => {
  tmp = tempDir();
  store = openStore({ file: databasePath(tmp.dir), clock });
  for (const [n, machineName] of NAMES.entries()) {
    await store.commitActivation(
      activation({ n, at: clock.now() - n * 1000, machineName, address: n === 0 ? 'fd00::1' : `10.9.0.${n}` }),
    );
  }
});

afterAll(() => {
  store.close();
  tmp.cleanup();
});

function names(text: string, countCap?: number): string[] {
  const q: ClientWindowQuery = {
    offset: 0,
    limit: 100,
    sort: { column: 'machineName', direction: 'asc' },
    filter: { text },
  };
  const w =
    countCap === undefined ? store.queryClients(q) : new ClientQueries(store.db, { countCap }).window(q, clock.now());
  return w.rows.map((r) => r.machineName);
}

describe('a text of one or two characters', () => {
  it('is found at the start of a name only, ASCII letters in either case', () => {
    expect(names('zz')).toEqual(['ZZ9', 'zz-top']);
    expect(names('Zz')).toEqual(['ZZ9', 'zz-top']);
    expect(names('z')).toEqual(['ZZ9', 'zz-top']);
    // Three characters are found anywhere.
    expect(names('mzz')).toEqual(['mzz']);
    expect(names('zz-')).toEqual(['zz-top']);
  });

  it('matches other letters exactly, as LIKE does, and wildcards literally', () => {
    expect(names('É')).toEqual(['Ébène-1']);
    expect(names('é')).toEqual(['ébène-2']);
    expect(names('%')).toEqual(['%off']);
    expect(names('_')).toEqual([]);
    expect(names('a_')).toEqual(['a_b']);
  });

  it('is found at the start of an address or a CMID', () => {
    expect(names('FD')).toEqual(['Ébène-1']);
    expect(names('10')).toHaveLength(NAMES.length - 1);
    expect(names(cmidOf(0).slice(0, 2))).toHaveLength(NAMES.length);
  });

  it('finds a name that starts with the last code point', () => {
    expect(names('\u{10FFFF}')).toEqual(['\u{10FFFF}x']);
  });

  it('gives the same rows when its matches are more than the cap and the sort index is walked', () => {
    expect(names('10', 2)).toEqual(names('10'));
    expect(names('z', 1)).toEqual(['ZZ9', 'zz-top']);
  });
});

describe('successor', () => {
  it('is the least text after every text with the prefix, in code point order', () => {
    expect(successor('pc')).toBe('pd');
    expect(successor('a\u{D7FF}')).toBe('a\u{E000}');
    expect(successor('a\u{FFFF}')).toBe('a\u{10000}');
    expect(successor('a\u{10FFFF}')).toBe('b');
    expect(successor('\u{10FFFF}')).toBeUndefined();
  });
});
