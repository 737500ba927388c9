/**
 * Windowed reads of the client inventory for the console's live table and the CLI. Every sort
 * column has an index (column, cmid, group_key), so a window is read in index order and stops after
 * offset + limit matching rows; filters on product, license state and VM are tested on group_key in
 * the index entry, so rows skipped by the offset or the filter are never read from the table. The
 * total for those filters comes from `client_totals` (a few rows); only text and seen-within
 * filters count matching rows, and a text filter that matches many clients counts only up to
 * COUNT_CAP (the window then says its total is a lower bound).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ClientWindow, ClientWindowQuery } from '../../shared/domain/records.js';
import { checkClientQuery, checkCursor, type ClientPageQuery } from './client-window-query.js';
import { conditionsOf, type Conditions, type Driver } from './client-conditions.js';
import { ClientTextSearch, likeCondition, searchable } from './client-text-search.js';
import { SQL_COLUMN, toClientRow } from './client-row.js';
import {
  boundedCount,
  countRows,
  rangeConditions,
  selectRows,
  selectSeenSorted,
  sortsInSeenEntry,
} from './client-window-rows.js';
import { ID_SET_FROM, idSetOf } from './client-id-set.js';
import { cheapest, driverCosts, setIsCheaper } from './client-window-plan.js';
import { WindowProbes } from './client-window-probes.js';
import type { NameBlocks, NameRange } from './name-blocks.js';
import type { ClientKeys } from './client-keys.js';

export { CLIENT_COLUMNS, toClientRow, type ClientDbRow } from './client-row.js';
export {
  checkClientQuery,
  cursorOf,
  MAX_WINDOW_ROWS,
  type ClientCursor,
  type ClientPageQuery,
} from './client-window-query.js';

/**
 * A text filter that matches many clients is counted up to this many: the exact count of a text
 * in 100,000 clients reads every match (~0.5 s at a million clients), and "more than 10,000" is
 * what a person needs to refine the filter.
 */
export const COUNT_CAP = 10_000;

/**
 * How far the count of a text filter reads before it settles for a lower bound: index entries
 * whose every test is in the entry (~0.2-0.4 µs each: a LIKE on the name and the CMID, a test of
 * the clients seen since a cutoff), or rows read for a test outside it (~4.5 µs). Each is ~5-7 ms
 * at a million clients, which keeps a window under 20 ms.
 */
export interface CountBudget {
  entries: number;
  rows: number;
}
export const COUNT_BUDGET: CountBudget = { entries: 15_000, rows: 1_500 };
/** No budget: count up to COUNT_CAP however far that reads, for a caller who waits (the CLI). */
export const NO_COUNT_BUDGET: CountBudget = { entries: Infinity, rows: Infinity };

/**
 * A text column is ruled out of a text filter (see ClientTextSearch.mayBeIn) only when the text's
 * rarest trigram is in at most this share of clients, which bounds what the check reads.
 */
const RULE_OUT_SHARE = 1 / 4;

/** A walk of the sort index estimated this long (entries) is checked against a sample first. */
const SAMPLE_WALK = 30_000;
/** At most this many clients seen since a cutoff are listed as a byte map (~17 ms); beyond, rows are read. */
const CUTOFF_SET_MAX = 100_000;
/** The listing is chosen when the plan with it is estimated at least this many times cheaper. */
const CUTOFF_SET_MARGIN = 2;

/** Index entries read at most to list a name-only text's matches through the name summaries (~3 ms). */
const NAME_IDS_MAX = 20_000;

export type { Driver } from './client-conditions.js';

export class ClientQueries {
  readonly #db: Database;
  readonly #cache = new Map<string, Statement>();
  readonly #text: ClientTextSearch;
  readonly #countCap: number;
  readonly #budget: CountBudget;
  readonly #blocks: NameBlocks | undefined;
  readonly #idSets: 'by-cost' | 'always' | 'never';
  readonly #sampleWalk: number;
  readonly #cutoffSets: 'by-cost' | 'always' | 'never';
  readonly #probes: WindowProbes;
  readonly #keys: ClientKeys | undefined;

  /**
   * `trigramSample`, `countCap`, `countBudget` and `sampleWalk` are lowered by tests, so that a few
   * hundred clients reach them; `idSets` and `cutoffSets` make them test a text's matches, or the
   * clients seen since a cutoff, always (or never) as a byte map, where the store chooses by cost.
   * `nameBlocks` and `keys`: summaries of the machine-name index, and the clients' filterable keys,
   * both kept by the writer.
   */
  constructor(
    db: Database,
    options: {
      trigramSample?: number;
      countCap?: number;
      countBudget?: CountBudget;
      nameBlocks?: NameBlocks;
      idSets?: 'by-cost' | 'always' | 'never';
      sampleWalk?: number;
      cutoffSets?: 'by-cost' | 'always' | 'never';
      keys?: ClientKeys;
    } = {},
  ) {
    this.#keys = options.keys;
    this.#cutoffSets = options.cutoffSets ?? 'by-cost';
    this.#idSets = options.idSets ?? 'by-cost';
    this.#sampleWalk = options.sampleWalk ?? SAMPLE_WALK;
    this.#db = db;
    this.#blocks = options.nameBlocks;
    this.#countCap = options.countCap ?? COUNT_CAP;
    this.#budget = options.countBudget ?? COUNT_BUDGET;
    // The probe lists up to twice the cap: a text just past it still gets an exact total, and one
    // it finds that often is "more than countCap".
    this.#probes = new WindowProbes((sql) => this.#prepare(sql), this.#countCap, options.keys);
    this.#text = new ClientTextSearch((sql) => this.#prepare(sql), options.trigramSample, this.#countCap * 2);
  }

  /** #prepare, bound: what the reads in other files are given. */
  readonly #p = (sql: string): Statement => this.#prepare(sql);

  #prepare(sql: string): Statement {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }

  count(): number {
    return (this.#prepare('SELECT COALESCE(SUM(n), 0) AS n FROM client_totals').get() as { n: number }).n;
  }

  /**
   * Picks how to read the window: walk the sort column's index and test each row (cheap when
   * matches are dense), or fetch the matching rows through the most selective filter's index and
   * sort them (cheap when they are few). Selectivity is known exactly for product/state/VM
   * (client_totals) and probed, up to PROBE_CAP rows, for last-seen and text.
   */
  window(q: ClientPageQuery, now: number, force?: Driver, budget: CountBudget = this.#budget): ClientWindow {
    checkClientQuery(q);
    if (q.after !== undefined) checkCursor(q.after, q.sort.column);
    const c = conditionsOf((sql) => this.#prepare(sql), q, now);
    if (c.eqTotal === 0) return { rows: [], total: 0, offset: q.offset };
    const all = this.count();
    if (c.text !== undefined && searchable(c.text)) {
      c.textIds = this.#idsByName(c) ?? (this.#surelyUnlisted(c.text, all) ? undefined : this.#text.ids(c.text));
    } else if (c.text !== undefined && this.#probes.isRare(c.text, all)) {
      c.textIds = this.#text.shortIds(c.text, this.#countCap * 2);
    }
    if (c.textIds !== undefined && force === undefined) this.#foldFilters(c, all);
    const range = c.cutoff === undefined ? all : this.#probes.seenCount(c.cutoff, all);
    return this.#read(q, c, { all, range, force, budget });
  }

  /**
   * A text whose every gram is in more clients than the probe lists, and that a sample finds about
   * as often: its listing would read long posting lists only to stop at the cap. A walk tests it.
   */
  #surelyUnlisted(text: string, all: number): boolean {
    return this.#text.allGramsCommon(text) && this.#probes.isCommon(text, all);
  }

  /**
   * Applies the product/state/VM and seen-within filters to the text's listed matches in memory
   * (client-keys.ts), when the keys are at hand: the window is then a text filter alone, read from
   * exactly the matches that pass, with an exact total.
   */
  #foldFilters(c: Conditions, all: number): void {
    const key = c.hasEq ? c.keyTest : undefined;
    // A product hash shared by two products (no key test): only the cutoff is folded.
    if ((key === undefined && c.cutoff === undefined) || c.textIds === undefined) return;
    const ids = this.#keys?.passing(c.textIds, key, c.cutoff);
    if (ids === undefined) return;
    c.textIds = ids;
    c.cutoff = undefined;
    if (key === undefined) return;
    c.hasEq = false;
    c.eqTotal = all;
    c.keySql = '';
    c.keyParams = [];
  }

  /** The window's rows and total, once its conditions (and the text's matches) are known. */
  #read(
    q: ClientPageQuery,
    c: Conditions,
    { all, range, force, budget }: { all: number; range: number; force?: Driver; budget: CountBudget },
  ): ClientWindow {
    // A text not listed is in about the share of a sample of the clients that has it; a text the
    // probe could not list, in at least as many as it lists.
    const least = c.text !== undefined && searchable(c.text) ? this.#countCap * 2 : 0;
    const unlisted = (t: string) => Math.min(all, Math.max(least, this.#probes.textShare(t) * all));
    const text = c.textIds?.length ?? (c.text === undefined ? all : unlisted(c.text));
    let plan = driverCosts(q, c, { all, range, text });
    // Shares multiply only for independent filters: "9-9" in 1% of names and a product in 1/6 of
    // the clients may have no client in common, and the walk would read the whole index. A long
    // walk is checked against a sample of the clients first.
    if (
      force === undefined &&
      plan.costs.length > 1 &&
      cheapest(plan.costs) === 'sort' &&
      plan.walked >= this.#sampleWalk
    ) {
      plan = driverCosts(q, c, { all, range, text }, this.#probes.sampledShare(c));
    }
    // A walk of another sort index reads each entry's row for its last-seen time, unless the
    // clients seen since the cutoff are listed first (from the last-seen index) and tested in the entry.
    let cutoffBySet = false;
    if (
      c.cutoff !== undefined &&
      SQL_COLUMN[q.sort.column] !== 'last_seen' &&
      (force === undefined || force === 'sort') &&
      this.#cutoffSets !== 'never' &&
      range <= CUTOFF_SET_MAX
    ) {
      const bySet = driverCosts(q, c, { all, range, text }, plan.sampled, true);
      const cost = (p: typeof plan, d: Driver) => p.costs.find(([x]) => x === d)?.[1] ?? Infinity;
      // Only for a clear gain: the listing's cost is certain, the walk's saving an estimate.
      const best = Math.min(...plan.costs.map(([, v]) => v));
      if (this.#cutoffSets === 'always' || cost(bySet, 'sort') * CUTOFF_SET_MARGIN < best) {
        plan = bySet;
        cutoffBySet = true;
      }
    }
    const candidates = plan.costs;
    const ftsUsable = c.text !== undefined && searchable(c.text);
    // `force` lets the tests check that every driver returns the same window.
    const usable = force !== undefined && (force !== 'text' || ftsUsable);
    const rowsDriver = usable ? force : cheapest(candidates);
    if (rowsDriver === 'sort' && ftsUsable && c.textIds === undefined) {
      this.#ruleOutTextColumns(SQL_COLUMN[q.sort.column], c);
    }
    // A long list of matches is tested as a byte map by a walk shorter than it (see client-id-set.ts).
    const ids = c.textIds;
    const bySet =
      ids !== undefined &&
      rowsDriver !== 'text' &&
      this.#idSets !== 'never' &&
      (this.#idSets === 'always' || (ids.length >= ID_SET_FROM && setIsCheaper(plan.tested[rowsDriver], ids.length)));
    const read = (c: Conditions) =>
      !bySet || ids === undefined
        ? this.#rowsAndTotal(q, c, rowsDriver, { range, force, budget })
        : this.#rowsAndTotal(q, { ...c, textSet: idSetOf(ids) }, rowsDriver, { range, force, budget });
    if (!cutoffBySet || c.cutoff === undefined || rowsDriver !== 'sort') return read(c);
    return read({ ...c, cutoffSet: idSetOf(this.#probes.seenSince(c.cutoff, range)) });
  }

  /** The window read through `rowsDriver`, and its total. */
  #rowsAndTotal(
    q: ClientPageQuery,
    c: Conditions,
    rowsDriver: Driver,
    { range, force, budget }: { range: number; force?: Driver; budget: CountBudget },
  ): ClientWindow {
    // Read from the last-seen index and sorted by its entries, the window's matches are counted as they are sorted.
    const counted =
      rowsDriver === 'range' && q.after === undefined && sortsInSeenEntry(q, c)
        ? selectSeenSorted(this.#p, q, c)
        : { rows: selectRows(this.#p, q, c, rowsDriver, () => this.#nameRanges(c)) };
    const rows = counted.rows.map(toClientRow);
    if (counted.matching !== undefined) return { rows, total: counted.matching, offset: q.offset };
    const usable = force !== undefined && force === rowsDriver;
    if (c.cutoff === undefined && c.text === undefined) return { rows, total: c.eqTotal, offset: q.offset };
    if (c.text !== undefined) {
      // A window that ends before its limit, from the first match on, shows where the matches end.
      const last = q.after === undefined && rows.length > 0 && rows.length < q.limit;
      if (last) return { rows, total: q.offset + rows.length, offset: q.offset };
      return { rows, offset: q.offset, ...this.#countText(c, rows.length > 0 ? q.offset + rows.length : 0, budget) };
    }
    // Counting never walks the sort index; the group index, or the last-seen one, holds every test.
    const countCandidates: [Driver, number][] = [['group', c.eqTotal / 10]];
    if (!c.hasEq || c.keySql !== undefined) countCandidates.push(['range', range / 10]);
    const countDriver = usable && force !== 'sort' && force !== 'text' ? force : cheapest(countCandidates);
    return { rows, total: countRows(this.#p, c, countDriver), offset: q.offset };
  }

  /**
   * The total of a text filter: exact when counting it is cheap, else what a bounded walk found (a
   * lower bound, flagged). An exact count of a text in many clients reads every match, and with a
   * product or seen-within filter every row of the text's matches: 4-5 µs each, ~400 ms for "-9"
   * at a million clients. `found` matches are known already (the rows of the window and the offset
   * before them).
   */
  #countText(c: Conditions, found: number, budget: CountBudget): { total: number; totalIsLowerBound?: true } {
    const cap = this.#countCap;
    const lowerBound = (n: number) => ({ total: Math.max(Math.min(n, cap), found), totalIsLowerBound: true as const });
    // All the matches are known: the probe found fewer than its cap, or the name summaries listed them.
    if (c.textIds !== undefined && !c.hasEq && c.cutoff === undefined) return { total: c.textIds.length };
    const ranges = this.#nameRanges(c);
    if (c.textIds !== undefined && ranges === undefined) {
      // The other filters are tested on each match's row: as many as the row budget allows.
      const ids = c.textIds.slice(0, budget.rows);
      const n = countRows(this.#p, { ...c, textIds: ids }, 'text');
      return ids.length === c.textIds.length ? { total: n } : lowerBound(n);
    }
    // The probe already found more than the cap.
    if (c.text !== undefined && searchable(c.text) && !c.hasEq && c.cutoff === undefined) {
      return lowerBound(cap + 1);
    }
    // The clients seen since a cutoff, from the last-seen index, whose entries hold every text column
    // and group_key: a bounded walk of it from the cutoff.
    if (c.cutoff !== undefined && (!c.hasEq || c.keySql !== undefined)) {
      const most = Number.isFinite(budget.entries) ? budget.entries : Number.MAX_SAFE_INTEGER;
      const from = [{ sql: 'last_seen >= ?', params: [c.cutoff] }];
      const { walked, n } = boundedCount(this.#p, c, most, from, true);
      return walked < most && n <= cap ? { total: n } : lowerBound(n);
    }
    // Many matches, or a text too short to search: a bounded walk of the machine-name index, where
    // product/state/VM, the name and the CMID are tested in the entry; a column outside it (the
    // address, last seen) costs a row read, so such a walk is shorter.
    this.#ruleOutTextColumns('machine_name', c);
    const inEntry =
      (!c.hasEq || c.keySql !== undefined) &&
      (c.cutoff === undefined || c.cutoffSet !== undefined) &&
      (c.textColumns ?? []).every((col) => col !== 'address');
    const most = inEntry ? budget.entries : budget.rows;
    if (!Number.isFinite(most)) {
      // No budget: stop at the first match past the cap, however far that is.
      const n = countRows(this.#p, c, 'sort', cap + 1);
      return n <= cap ? { total: n } : lowerBound(n);
    }
    // Only where a name may have the text, when the name summaries say where that is.
    let walked = 0;
    let n = 0;
    for (const range of ranges ?? [{ entries: Infinity }]) {
      if (walked >= most) break;
      const part = boundedCount(this.#p, c, most - walked, rangeConditions(range));
      walked += part.walked;
      n += part.n;
    }
    // Past the cap only when the matches were listed (by the name summaries): then it is exact, and cost nothing more.
    return walked < most && (n <= cap || c.textIds !== undefined) ? { total: n } : lowerBound(n);
  }

  /**
   * A walk of the machine-name (or address) index tests a text on the name (address) and CMID in
   * the index entry, but reads the row for the third column. For a text in many clients whose
   * matches sort late (say "pc-1" by machine name), that is 100,000 row reads before the first
   * match; when no client has the text in that third column, the walk reads no row it skips.
   */
  #ruleOutTextColumns(col: string, c: Conditions): void {
    if (c.text === undefined || c.textColumns === undefined || c.ruledOut) return;
    if (col !== 'machine_name' && col !== 'address') return;
    c.ruledOut = true;
    const other = c.textColumns.filter((t) => t !== col);
    // Only columns the entry lacks are worth a read: the CMID is in every sort index entry, but a
    // LIKE less per entry still shortens the walk by a third, so it is tried after the other.
    const outside = other.filter((t) => t !== 'cmid');
    if (other.length === 0 || (outside.length > 0 && this.#text.mayBeIn(c.text, outside, RULE_OUT_SHARE))) return;
    // When no other column is the CMID, the read above answered for them all.
    const inOther = outside.length < other.length && this.#text.mayBeIn(c.text, other, RULE_OUT_SHARE);
    if (!inOther) c.textColumns = c.textColumns.filter((t) => t === col);
    else if (outside.length > 0) c.textColumns = c.textColumns.filter((t) => !outside.some((o) => o === t));
  }

  /**
   * Whether the query's product/state/VM filter is tested inside the sort indexes (group_key), so a
   * sort walk reads no row it does not return. False when product hashes collide.
   */
  filterInIndex(q: ClientWindowQuery, now: number): boolean {
    checkClientQuery(q);
    return conditionsOf((sql) => this.#prepare(sql), q, now).keySql !== undefined;
  }

  /**
   * The stretches of the machine-name index where a name may have the text, when the summaries
   * rule most of it out; undefined when they cannot (no summaries, an address or CMID that may
   * have the text, a text under 3 characters, or matches everywhere).
   */
  #nameRanges(c: Conditions): NameRange[] | undefined {
    if (!this.#blocks || c.text === undefined || c.textColumns === undefined) return undefined;
    if (c.textColumns.some((col) => col !== 'machine_name')) return undefined;
    if (c.nameCandidates === undefined) c.nameCandidates = this.#blocks.candidates(c.text) ?? null;
    return c.nameCandidates ?? undefined;
  }

  /**
   * Every client with the text, when only a name can hold it and the name summaries narrow it to at
   * most NAME_IDS_MAX index entries: read from those entries alone (the name is in each), where the
   * full-text probe would read the posting list of every trigram ("pc-" is in every name).
   */
  #idsByName(c: Conditions): number[] | undefined {
    const ranges = this.#nameRanges(c);
    if (!ranges || c.text === undefined || ranges.reduce((n, r) => n + r.entries, 0) > NAME_IDS_MAX) return undefined;
    const like = likeCondition(c.text, ['machine_name']);
    return ranges.flatMap((r) => {
      const seek = rangeConditions(r);
      const sql = `SELECT rowid FROM clients INDEXED BY clients_by_machine_name WHERE ${[...seek.map((x) => x.sql), like.sql].join(' AND ')}`;
      return this.#prepare(sql)
        .pluck()
        .all(...seek.flatMap((x) => x.params), ...like.params) as number[];
    });
  }
}
