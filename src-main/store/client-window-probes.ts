/**
 * The small reads a client window's plan is made from: how many clients were seen since a cutoff
 * (and which), how common a short text is, and which share of a sample passes every filter.
 */
import type { Statement } from 'better-sqlite3';
import { whereOf, type Conditions } from './client-conditions.js';
import { rowidsOf } from './client-id-set.js';
import type { ClientKeys } from './client-keys.js';
import { columnsFor, likeCondition, PROBE_CAP } from './client-text-search.js';

/** Clients in the sample a long sort walk is checked against (~1-2 ms). */
const SAMPLE_ROWS = 4096;

/** Listing from the index costs about this many times a client's scan in the keys. */
const KEYS_SCAN_RATIO = 30;

/** Clients sampled to tell whether a text is rare or common (~1 ms), in this many stretches. */
const TEXT_SAMPLE = 4096;
const SAMPLE_STRIPES = 8;
/** A text is "common" when the sample puts it in this many times the probe cap. */
const COMMON_MARGIN = 1.5;

export class WindowProbes {
  readonly #prepare: (sql: string) => Statement;
  readonly #countCap: number;
  readonly #keys: ClientKeys | undefined;
  #lastShare: { text: string; hi: number | null; share: number } | undefined;

  constructor(prepare: (sql: string) => Statement, countCap: number, keys?: ClientKeys) {
    this.#prepare = prepare;
    this.#countCap = countCap;
    this.#keys = keys;
  }

  /**
   * The clients seen since the cutoff (rowids), about `expected` of them: from the last-seen index
   * (~0.17 µs each), or, for many, from the keys in memory (a scan of every client, ~5 ms at a
   * million, whatever the cutoff).
   */
  seenSince(cutoff: number, expected: number): number[] {
    // The scan costs ~5 ns a client, the index ~170 ns a listed one.
    const scan = this.#keys !== undefined && expected * KEYS_SCAN_RATIO > this.#keys.size;
    const listed = scan ? this.#keys?.seenSince(cutoff) : undefined;
    if (listed) return listed;
    const select = 'SELECT rowid FROM clients INDEXED BY clients_by_last_seen WHERE last_seen >= ?';
    return rowidsOf(this.#prepare, select, cutoff);
  }

  /**
   * The share of clients that pass every filter of the window, among the first SAMPLE_ROWS (by
   * rowid, the order they first came in; ~1-2 ms). One more match is assumed than found, so a
   * filter no sampled client passes still reads as rare, not as impossible.
   */
  sampledShare(c: Conditions): number {
    const { where, params } = whereOf(c, 'group');
    const test = where.reduceRight((then, cond) => `CASE WHEN ${cond} THEN ${then} ELSE 0 END`, '1');
    const sql = `SELECT COUNT(*) AS m, TOTAL(${test}) AS n FROM clients WHERE rowid <= (SELECT MIN(rowid) FROM clients) + ?`;
    const { m, n } = this.#prepare(sql).get(...params, SAMPLE_ROWS - 1) as { m: number; n: number };
    return (n + 1) / (m + 1);
  }

  /**
   * Whether a text too short for the full-text index looks rare enough to list by prefix: at its
   * rate in the sample, fewer than the count cap have it. A text like "zz" that no client has would
   * otherwise be tested on every row of the table (~1.5 s at a million clients); a common one
   * ("pc") fills a window at once.
   */
  isRare(text: string, all: number): boolean {
    // The 4-gram index holds no CMID: such a text cannot be listed by prefix.
    if (columnsFor(text).includes('cmid')) return false;
    return this.textShare(text) * all < this.#countCap;
  }

  /**
   * Whether the text looks so common that listing its matches would stop at the probe cap (twice
   * the count cap), with room to spare: for a text whose every gram is common, that listing reads
   * the grams' whole posting lists ("00000000" of CMIDs: ~25 ms at a million clients) only to give up.
   */
  isCommon(text: string, all: number): boolean {
    return this.textShare(text) * all >= this.#countCap * 2 * COMMON_MARGIN;
  }

  /**
   * The share of clients with the text, among SAMPLE_STRIPES stretches of consecutive rowids spread
   * over the table (~1 ms): clients that came in together often have names, addresses or CMIDs in
   * common, which one stretch would take for the whole. One more match is assumed than found, so a
   * text no sampled client has still reads as rare, not as absent. Kept for the last text: the
   * console asks again at every refresh.
   */
  textShare(text: string): number {
    const lo = this.#prepare('SELECT MIN(rowid) FROM clients').pluck().get() as number | null;
    const hi = this.#prepare('SELECT MAX(rowid) FROM clients').pluck().get() as number | null;
    if (this.#lastShare?.text === text && this.#lastShare.hi === hi) return this.#lastShare.share;
    if (lo === null || hi === null) return 0;
    const like = likeCondition(text, columnsFor(text));
    const sql = `SELECT TOTAL(${like.sql}) AS n, COUNT(*) AS m FROM (SELECT machine_name, address, cmid FROM clients WHERE rowid >= ? ORDER BY rowid LIMIT ?)`;
    const stripe = Math.ceil(TEXT_SAMPLE / SAMPLE_STRIPES);
    let n = 0;
    let m = 0;
    for (let i = 0; i < SAMPLE_STRIPES; i++) {
      const r = this.#prepare(sql).get(...like.params, lo + Math.floor(((hi - lo) * i) / SAMPLE_STRIPES), stripe) as {
        n: number;
        m: number;
      };
      n += r.n;
      m += r.m;
    }
    const share = m > 0 ? (n + 1) / m : 0;
    this.#lastShare = { text, hi, share };
    return share;
  }

  /**
   * How many clients were seen since the cutoff: counted up to PROBE_CAP, and past it estimated as
   * if clients were seen evenly between the first and the last (only the plan depends on it).
   */
  seenCount(cutoff: number, all: number): number {
    const sql = `SELECT COUNT(*) AS n FROM (SELECT 1 FROM clients INDEXED BY clients_by_last_seen WHERE last_seen >= ? LIMIT ?)`;
    const n = (this.#prepare(sql).get(cutoff, PROBE_CAP) as { n: number }).n;
    if (n < PROBE_CAP) return n;
    // Two statements: SQLite reads one end of the index for MIN or MAX alone, the table for both.
    const lo = this.#prepare('SELECT MIN(last_seen) FROM clients').pluck().get() as number;
    const hi = this.#prepare('SELECT MAX(last_seen) FROM clients').pluck().get() as number;
    const even = hi > lo ? (all * (hi - cutoff)) / (hi - lo) : all;
    return Math.min(all, Math.max(n, even));
  }
}
