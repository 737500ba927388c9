/**
 * The text filter of client windows: which clients have the text in their machine name, address or
 * CMID, found through the trigram full-text index `clients_text` (migration 2).
 *
 * A trigram phrase query reads the posting list of every trigram in the text, and in a fleet named
 * pc-0001..pc-9999 on 10.x.y.z some trigrams ("pc-", "10.") are in every row: a rare name then costs
 * as much as reading a million postings. So each trigram's frequency is first estimated from its
 * first postings (see #frequency); only the rarest trigrams are searched, and the candidates are
 * checked with LIKE.
 */
import type { Statement } from 'better-sqlite3';

/** Matches at most this many: enough to know the text is selective; more is "many". */
export const PROBE_CAP = 20_000;
/** Text shorter than a trigram cannot use the full-text index. */
export const MIN_FTS_TEXT = 3;
/** Postings read per trigram to estimate its frequency. */
export const TRIGRAM_SAMPLE = 500;
/**
 * Trigrams in more than this share of clients ("pc-", "10.", "000" of every CMID) are left out of
 * the search; the others narrow the candidates down.
 */
const COMMON_SHARE = 1 / 16;
/**
 * Candidates checked with LIKE at most: each costs a row read (~3 µs), so more candidates than this
 * cost more than the phrase query they avoid.
 */
const MAX_CANDIDATES = 4_000;
/** Texts longer than this are searched as one phrase (their trigrams are seldom all common). */
const MAX_PROBED_TRIGRAMS = 16;

export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A trigram phrase query: the text as one quoted phrase, so it matches as a substring. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** The LIKE test of the text on a client row, with its three parameters. */
export function likeCondition(text: string): { sql: string; params: string[] } {
  const p = likePattern(text);
  return {
    sql: "(machine_name LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\' OR cmid LIKE ? ESCAPE '\\')",
    params: [p, p, p],
  };
}

export class ClientTextSearch {
  readonly #prepare: (sql: string) => Statement;
  readonly #sample: number;
  readonly #probeCap: number;

  /**
   * `sample` and `probeCap` are lowered by tests, so that a few hundred clients have common and
   * rare trigrams, and texts that match "many".
   */
  constructor(prepare: (sql: string) => Statement, sample = TRIGRAM_SAMPLE, probeCap = PROBE_CAP) {
    this.#prepare = prepare;
    this.#sample = sample;
    this.#probeCap = probeCap;
  }

  /** Rowids of the clients matching the text, or undefined when `probeCap` (PROBE_CAP) or more match. */
  ids(text: string): number[] | undefined {
    const trigrams = [...new Set(trigramsOf(text))];
    if (trigrams.length > 1 && trigrams.length <= MAX_PROBED_TRIGRAMS) {
      const maxRowid = (this.#prepare('SELECT MAX(rowid) AS m FROM clients').get() as { m: number | null }).m ?? 0;
      const frequency = trigrams.map((t) => this.#frequency(t, maxRowid));
      const least = Math.min(...frequency);
      const rare = trigrams.filter((_, i) => frequency[i]! <= Math.max(least, maxRowid * COMMON_SHARE));
      if (least < this.#probeCap && rare.length < trigrams.length) {
        const ids = this.#viaRare(text, rare);
        if (ids) return ids;
      }
    }
    const sql = 'SELECT rowid FROM clients_text WHERE clients_text MATCH ? LIMIT ?';
    const ids = this.#prepare(sql).pluck().all(ftsPhrase(text), this.#probeCap) as number[];
    return ids.length < this.#probeCap ? ids : undefined;
  }

  /**
   * How many clients have the trigram: exact below the sample size, else estimated from how far
   * into the rowids the sample reached (postings come in rowid order; rowids spread over the table).
   * Only the choice of trigrams depends on it, never the result.
   */
  #frequency(trigram: string, maxRowid: number): number {
    const sql = 'SELECT rowid FROM clients_text WHERE clients_text MATCH ? ORDER BY rowid LIMIT ?';
    const rowids = this.#prepare(sql).pluck().all(ftsPhrase(trigram), this.#sample) as number[];
    if (rowids.length < this.#sample) return rowids.length;
    return (rowids.length * maxRowid) / Math.max(1, rowids.at(-1)!);
  }

  /**
   * Candidates have every rare trigram somewhere; LIKE keeps those that have the whole text.
   * Undefined when there are too many candidates: then the phrase query is cheaper.
   */
  #viaRare(text: string, rare: string[]): number[] | undefined {
    const candidates = this.#prepare(
      `SELECT rowid FROM clients_text WHERE clients_text MATCH ? LIMIT ${MAX_CANDIDATES}`,
    )
      .pluck()
      .all(rare.map(ftsPhrase).join(' AND ')) as number[];
    if (candidates.length >= MAX_CANDIDATES) return undefined;
    const like = likeCondition(text);
    const sql = `SELECT rowid FROM clients WHERE rowid IN (SELECT value FROM json_each(?)) AND ${like.sql} ORDER BY rowid`;
    return this.#prepare(sql)
      .pluck()
      .all(JSON.stringify(candidates), ...like.params) as number[];
  }
}

/** Trigrams as the trigram tokenizer cuts them: three characters (code points) at every position. */
function trigramsOf(text: string): string[] {
  const chars = Array.from(text);
  return chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(''));
}
