/**
 * The text filter of client windows: which clients have the text in their machine name, address or
 * CMID, found through the trigram full-text index `clients_text` (migration 2).
 *
 * A trigram phrase query reads the posting list of every trigram in the text, and in a fleet named
 * pc-0001..pc-9999 on 10.x.y.z some trigrams ("pc-", "10.") are in every row: a rare name then costs
 * as much as reading a million postings. So each trigram is first probed up to RARE_CAP postings;
 * when some are rare, only those are searched, and the few candidates are checked with LIKE.
 */
import type { Statement } from 'better-sqlite3';

/** Matches at most this many: enough to know the text is selective; more is "many". */
export const PROBE_CAP = 20_000;
/** Text shorter than a trigram cannot use the full-text index. */
export const MIN_FTS_TEXT = 3;
/** A trigram with fewer postings than this is rare enough to drive the search. */
export const RARE_TRIGRAM_CAP = 2_000;
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
  readonly #rareCap: number;

  /** `rareCap` is lowered by tests, so that a few hundred clients have common and rare trigrams. */
  constructor(prepare: (sql: string) => Statement, rareCap = RARE_TRIGRAM_CAP) {
    this.#prepare = prepare;
    this.#rareCap = rareCap;
  }

  /** Rowids of the clients matching the text, or undefined when PROBE_CAP or more match. */
  ids(text: string): number[] | undefined {
    const trigrams = [...new Set(trigramsOf(text))];
    if (trigrams.length > 1 && trigrams.length <= MAX_PROBED_TRIGRAMS) {
      const rare = trigrams.filter((t) => this.#postings(t) < this.#rareCap);
      if (rare.length > 0 && rare.length < trigrams.length) return this.#viaRare(text, rare);
    }
    const sql = `SELECT rowid FROM clients_text WHERE clients_text MATCH ? LIMIT ${PROBE_CAP}`;
    const ids = this.#prepare(sql).pluck().all(ftsPhrase(text)) as number[];
    return ids.length < PROBE_CAP ? ids : undefined;
  }

  /** Rows matching the text, counted by the full-text index alone (for a text filter with no other filter). */
  count(text: string): number {
    const sql = 'SELECT COUNT(*) AS n FROM clients_text WHERE clients_text MATCH ?';
    return (this.#prepare(sql).get(ftsPhrase(text)) as { n: number }).n;
  }

  #postings(trigram: string): number {
    const sql = 'SELECT COUNT(*) AS n FROM (SELECT 1 FROM clients_text WHERE clients_text MATCH ? LIMIT ?)';
    return (this.#prepare(sql).get(ftsPhrase(trigram), this.#rareCap) as { n: number }).n;
  }

  /** Candidates have every rare trigram somewhere; LIKE keeps those that have the whole text. */
  #viaRare(text: string, rare: string[]): number[] {
    const like = likeCondition(text);
    const sql = `SELECT rowid FROM clients WHERE rowid IN (
      SELECT rowid FROM clients_text WHERE clients_text MATCH ?) AND ${like.sql} ORDER BY rowid`;
    return this.#prepare(sql)
      .pluck()
      .all(rare.map(ftsPhrase).join(' AND '), ...like.params) as number[];
  }
}

/** Trigrams as the trigram tokenizer cuts them: three characters (code points) at every position. */
function trigramsOf(text: string): string[] {
  const chars = Array.from(text);
  return chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(''));
}
