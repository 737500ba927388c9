/**
 * How a client window is read: the cost, in µs, of each way ("driver") of reading it, from the
 * shares of clients its filters pass. See docs/operations.md (Size and speed) for the figures.
 */
import type { ClientPageQuery } from './client-window-query.js';
import type { Conditions, Driver } from './client-conditions.js';
import { PROBE_CAP } from './client-text-search.js';
import { SQL_COLUMN } from './client-row.js';
import { sortsInSeenEntry } from './client-window-rows.js';

/**
 * What a read costs, in µs at a million clients: an index entry walked with every test it can
 * hold, and a row read from the table (for a test the entry lacks, or to return or sort it).
 */
const ENTRY_US = 0.15;
const ROW_US = 3;
/**
 * A list of matching rowids, tested in each entry: as an IN list (`json_each`), ~0.4 µs a rowid to
 * build (in rowid order) and ~0.06 µs a test; as a byte map (client-id-set.ts), ~0.05 µs and ~0.2 µs.
 */
const IN_BUILD_US = 0.4;
const IN_TEST_US = 0.06;
const SET_BUILD_US = 0.05;
const SET_TEST_US = 0.2;
/** A LIKE on one column of an index entry, and an entry put through a sort (its values, its rowid). */
const LIKE_US = 0.1;
const SORT_US = 0.2;
/** Listing the clients seen since a cutoff from the last-seen index, as a byte map, per client (~0.25 µs). */
const CUTOFF_LIST_US = 0.25;

/**
 * The estimated cost (µs) of reading the window through each driver that can: the entries it
 * walks, and the rows it reads. A walk reads the row of every entry that passes the tests the entry
 * holds when another test needs the row, else only the rows it returns; a driver whose order is
 * not the window's reads every row that passes, to sort them. Shares multiply as if the filters
 * were independent, unless `sampled` gives the share of clients that pass every filter; a walk of
 * the sort index stops once it has offset + limit rows. `range` is the clients seen within the
 * cutoff, `text` those with the text. `cutoffBySet`: the sort walk tests the cutoff on a byte map of
 * the clients seen since, listed first, instead of reading each entry's row.
 */
export function driverCosts(
  q: ClientPageQuery,
  c: Conditions,
  { all, range, text }: { all: number; range: number; text: number },
  sampled?: number,
  cutoffBySet = false,
): { costs: [Driver, number][]; walked: number; tested: Record<Driver, number>; sampled?: number } {
  const eq = c.eqTotal / all;
  const seen = range / all;
  const has = text / all;
  const ids = c.textIds !== undefined;
  const keyed = !c.hasEq || c.keySql !== undefined;
  /**
   * The share of a walk's entries that pass the tests the entries hold (a text not listed is tested
   * on the row), leaving out the filter whose index is walked: every entry passes that one.
   */
  const passing = (key: boolean, cutoff: boolean) => (key ? eq : 1) * (cutoff ? seen : 1) * (ids ? has : 1);
  /** Testing the listed matches in `entries` entries: as a byte map or as an IN list, whichever is cheaper. */
  const listed = (entries: number) => (ids ? idTestCost(entries, text) : 0);
  // The entries a walk tests the listed matches in: those that passed the tests written before.
  const needsRow = (key: boolean, cutoff: boolean) =>
    (c.hasEq && !key) || (c.cutoff !== undefined && !cutoff) || (c.text !== undefined && !ids);
  const share = sampled ?? eq * seen * has;
  const walked = share > 0 ? Math.min(all, (q.offset + q.limit) / share) : all;
  const sortHoldsCutoff = SQL_COLUMN[q.sort.column] === 'last_seen' || cutoffBySet;
  const sortRows = needsRow(keyed, sortHoldsCutoff) ? walked * passing(keyed, sortHoldsCutoff) : q.limit;
  const tested: Record<Driver, number> = {
    sort: walked * (keyed ? eq : 1) * (sortHoldsCutoff ? seen : 1),
    group: c.eqTotal * seen,
    range: range * (keyed ? eq : 1),
    text: 0,
  };
  // The clients seen since the cutoff listed from the last-seen index, and tested in each entry.
  const bySet = cutoffBySet ? range * CUTOFF_LIST_US + walked * (keyed ? eq : 1) * SET_TEST_US : 0;
  const costs: [Driver, number][] = [['sort', walked * ENTRY_US + sortRows * ROW_US + listed(tested.sort) + bySet]];
  // The group index holds product, state, VM and last seen; the last-seen index, last seen and group_key.
  if (c.hasEq) {
    costs.push(['group', c.eqTotal * (ENTRY_US + passing(false, true) * ROW_US) + listed(tested.group)]);
  }
  if (c.cutoff !== undefined) costs.push(['range', rangeCost(q, c, { range, has, keyed, eq, listed })]);
  if (c.text !== undefined && ids && text < PROBE_CAP) costs.push(['text', text * (ROW_US + IN_BUILD_US)]);
  return { costs, walked, tested, sampled };
}

/**
 * Reading the clients seen since the cutoff from the last-seen index, which holds group_key, the
 * name, the address and the CMID (schema 8): the text is tested in the entry (a LIKE per column, or
 * the listed matches), and so is the product/state/VM filter when keyed. The rows that pass are read
 * to sort them, unless the sort column is in the entry too: then the entries are sorted, and only
 * the window's rows are read.
 */
function rangeCost(
  q: ClientPageQuery,
  c: Conditions,
  {
    range,
    has,
    keyed,
    eq,
    listed,
  }: { range: number; has: number; keyed: boolean; eq: number; listed: (n: number) => number },
): number {
  const tested = range * (keyed ? eq : 1);
  const text =
    c.text === undefined
      ? 0
      : c.textIds !== undefined
        ? listed(tested)
        : tested * LIKE_US * (c.textColumns?.length ?? 3);
  const passing = tested * has;
  const sorted = sortsInSeenEntry(q, c);
  return range * ENTRY_US + text + (sorted ? passing * SORT_US + (q.offset + q.limit) * ROW_US : passing * ROW_US);
}

/** Testing `entries` index entries against a list of `n` rowids, the cheaper way (µs). */
function idTestCost(entries: number, n: number): number {
  return Math.min(entries * SET_TEST_US + n * SET_BUILD_US, entries * IN_TEST_US + n * IN_BUILD_US);
}

/** Whether a byte map is the cheaper way to test `entries` entries against `n` rowids. */
export function setIsCheaper(entries: number, n: number): boolean {
  return entries * SET_TEST_US + n * SET_BUILD_US < entries * IN_TEST_US + n * IN_BUILD_US;
}

export function cheapest(candidates: [Driver, number][]): Driver {
  return candidates.reduce((best, c) => (c[1] < best[1] ? c : best))[0];
}
