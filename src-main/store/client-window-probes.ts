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

/** Clients sampled to tell whether a text too short for the full-text index is rare (~1 ms). */
const SHORT_TEXT_SAMPLE = 4096;

export class WindowProbes {
  readonly #prepare: (sql: string) => Statement;
  readonly #countCap: number;
  readonly #keys: ClientKeys | undefined;
  #lastShort: { text: string; all: number; rare: boolean } | undefined;

  constructor(prepare: (sql: string) => Statement, countCap: number, keys?: ClientKeys) {
    this.#prepare = prepare;
    this.#countCap = countCap;
    this.#keys = keys;
  }

  /** The clients seen since the cutoff (rowids): from the keys in memory, else from the last-seen index alone. */
  seenSince(cutoff: number): number[] {
    const listed = this.#keys?.seenSince(cutoff);
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
   * rate among the first SHORT_TEXT_SAMPLE clients (by rowid), fewer than the count cap have it. A text like "zz" that no client has would otherwise be tested on
   * every row of the table (~1.5 s at a million clients); a common one ("pc") fills a window at once.
   */
  isRare(text: string, all: number): boolean {
    const columns = columnsFor(text);
    // The 4-gram index holds no CMID: such a text cannot be listed by prefix.
    if (columns.includes('cmid')) return false;
    // The console asks again for the same text at every refresh of its table.
    if (this.#lastShort?.text === text && this.#lastShort.all === all) return this.#lastShort.rare;
    const like = likeCondition(text, columns);
    const sql = `SELECT TOTAL(${like.sql}) AS n, COUNT(*) AS m FROM (SELECT machine_name, address, cmid FROM clients LIMIT ?)`;
    const { n, m } = this.#prepare(sql).get(...like.params, SHORT_TEXT_SAMPLE) as { n: number; m: number };
    const rare = m > 0 && ((n + 1) / m) * all < this.#countCap;
    this.#lastShort = { text, all, rare };
    return rare;
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
