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
/** Trigrams in at most this share of clients are used, as phrases, when the rare ones alone are not enough. */
const MODERATE_SHARE = 1 / 4;
/**
 * Candidates checked with LIKE at most, at least: each costs a row read (~3 µs). More are checked
 * when the phrase query they avoid would read more than POSTINGS_PER_CANDIDATE postings for each
 * (~0.02 µs per posting: "-00012" reads ~2,100,000 postings of "-00", "000", "001", "012", ~45 ms).
 */
const MAX_CANDIDATES = 4_000;
const POSTINGS_PER_CANDIDATE = 150;
/** Texts longer than this are searched as one phrase (their trigrams are seldom all common). */
const MAX_PROBED_TRIGRAMS = 16;

export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A trigram phrase query: the text as one quoted phrase, so it matches as a substring. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** The columns the text filter searches (and the full-text index holds). */
export const TEXT_COLUMNS = ['machine_name', 'address', 'cmid'] as const;
export type TextColumn = (typeof TEXT_COLUMNS)[number];

/** A CMID is stored only as GUID text (hex digits and hyphens), so only such a text can be in one. */
const CMID_TEXT = /^[0-9a-f-]+$/i;

/**
 * A client's address is what the listener's normalizeAddress (rpc/peer-address.ts) leaves: an IPv4
 * or IPv6 address without a zone (hex digits, dots and colons), or "unknown" for a peer gone
 * before it was read.
 */
const ADDRESS_TEXT = /^[0-9a-f.:]+$/i;
const UNKNOWN_ADDRESS = 'unknown';

/**
 * The columns a text can be in at all: not the CMID for a text with a letter beyond f or any
 * other character, such as "pc-1", and not the address for a text no IP address contains, such as
 * "pc" or "-9". Known from the text alone, so it costs no read; a walk of an index then tests only
 * the columns its entries hold instead of reading each row for the address.
 */
export function columnsFor(text: string): readonly TextColumn[] {
  const address = ADDRESS_TEXT.test(text) || UNKNOWN_ADDRESS.includes(text.toLowerCase());
  return TEXT_COLUMNS.filter((col) => col === 'machine_name' || (col === 'cmid' ? CMID_TEXT.test(text) : address));
}

/** The LIKE test of the text on a client row, over `columns` (by default all three), with its parameters. */
export function likeCondition(
  text: string,
  columns: readonly TextColumn[] = TEXT_COLUMNS,
): { sql: string; params: string[] } {
  const p = likePattern(text);
  if (columns.length === 0) return { sql: '0', params: [] };
  return {
    sql: `(${columns.map((col) => `${col} LIKE ? ESCAPE '\\'`).join(' OR ')})`,
    params: columns.map(() => p),
  };
}

export class ClientTextSearch {
  readonly #prepare: (sql: string) => Statement;
  readonly #sample: number;
  readonly #probeCap: number;
  #last: Estimate | undefined;

  /**
   * `probeCap`: a text in this many clients is "many" (no rowids returned). `sample` is lowered by
   * tests, so that a few hundred clients have common and rare trigrams.
   */
  constructor(prepare: (sql: string) => Statement, sample = TRIGRAM_SAMPLE, probeCap = PROBE_CAP) {
    this.#prepare = prepare;
    this.#sample = sample;
    this.#probeCap = probeCap;
  }

  /** Rowids of the clients matching the text, or undefined when `probeCap` (PROBE_CAP) or more match. */
  ids(text: string): number[] | undefined {
    const est = this.#estimate(text);
    if (est && est.positions.length > 1 && est.positions.length <= MAX_PROBED_TRIGRAMS) {
      const { frequency, maxRowid } = est;
      const least = Math.min(...frequency);
      // First the rare trigrams alone (few candidates, cheap to check), then with the moderately
      // common ones too, as phrases of consecutive trigrams ("0012" of "-00012"), which narrow far
      // more than the same trigrams anywhere in the row.
      let tried = '';
      for (const share of [COMMON_SHARE, MODERATE_SHARE]) {
        const chosen = frequency.map((f) => f <= Math.max(least, maxRowid * share));
        if (least >= PROBE_CAP || chosen.every(Boolean)) break;
        const phrases = phrasesOf(est.chars, chosen);
        if (phrases.join('\u0000') === tried) continue;
        tried = phrases.join('\u0000');
        // The rare trigrams alone get the plain budget: a second, longer phrase may narrow further.
        const ids = this.#viaCandidates(text, phrases, share === COMMON_SHARE ? 0 : est.postings);
        if (ids) return ids.length < this.#probeCap ? ids : undefined;
      }
    }
    const sql = 'SELECT rowid FROM clients_text WHERE clients_text MATCH ? LIMIT ?';
    const ids = this.#prepare(sql).pluck().all(ftsPhrase(text), this.#probeCap) as number[];
    return ids.length < this.#probeCap ? ids : undefined;
  }

  /**
   * Whether some client may have the text in one of `columns`: false only when certain, because
   * the text's rarest trigram is in none of them in any client. That costs one read of the
   * trigram's postings (~3 ms for 100,000), so it is not tried for trigrams in more than
   * `maxShare` of the clients.
   */
  mayBeIn(text: string, columns: readonly TextColumn[], maxShare: number): boolean {
    const est = this.#estimate(text);
    if (!est) return true;
    const least = Math.min(...est.frequency);
    if (least > est.maxRowid * maxShare) return true;
    const rarest = est.positions[est.frequency.indexOf(least)]!;
    const sql = 'SELECT 1 FROM clients_text WHERE clients_text MATCH ? LIMIT 1';
    return this.#prepare(sql).get(`{${columns.join(' ')}} : ${ftsPhrase(rarest)}`) !== undefined;
  }

  /**
   * Each trigram's estimated frequency, per position of the text; kept for the last text, since a
   * window asks for it twice (ids, then mayBeIn). Undefined for text shorter than a trigram.
   */
  #estimate(text: string): Estimate | undefined {
    const maxRowid = (this.#prepare('SELECT MAX(rowid) AS m FROM clients').get() as { m: number | null }).m ?? 0;
    if (this.#last?.text === text && this.#last.maxRowid === maxRowid) return this.#last;
    // Trigrams as the trigram tokenizer cuts them: three characters (code points) at every position.
    const chars = Array.from(text);
    const positions = chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(''));
    if (positions.length === 0) return undefined;
    const byTrigram = new Map([...new Set(positions)].map((t) => [t, this.#frequency(t, maxRowid)]));
    this.#last = {
      text,
      maxRowid,
      chars,
      positions,
      frequency: positions.map((t) => byTrigram.get(t)!),
      postings: [...byTrigram.values()].reduce((a, b) => a + b, 0),
    };
    return this.#last;
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
   * Candidates have every phrase (a piece of the text) somewhere; LIKE keeps those that have the
   * whole text. Undefined when there are more candidates than checking them is worth: each costs a
   * row read, where the phrase query of the whole text reads every posting of its trigrams.
   */
  #viaCandidates(text: string, phrases: string[], postings: number): number[] | undefined {
    const max = Math.max(MAX_CANDIDATES, Math.floor(postings / POSTINGS_PER_CANDIDATE));
    const candidates = this.#prepare('SELECT rowid FROM clients_text WHERE clients_text MATCH ? LIMIT ?')
      .pluck()
      .all(phrases.map(ftsPhrase).join(' AND '), max) as number[];
    if (candidates.length >= max) return undefined;
    const like = likeCondition(text);
    const sql = `SELECT rowid FROM clients WHERE rowid IN (SELECT value FROM json_each(?)) AND ${like.sql} ORDER BY rowid`;
    return this.#prepare(sql)
      .pluck()
      .all(JSON.stringify(candidates), ...like.params) as number[];
  }
}

interface Estimate {
  text: string;
  maxRowid: number;
  /** The text's characters (code points), as the trigram tokenizer cuts them. */
  chars: string[];
  /** The trigram at each position of the text. */
  positions: string[];
  /** The estimated number of clients with the trigram at each position. */
  frequency: number[];
  /** The estimated postings of all its distinct trigrams: what the phrase query reads. */
  postings: number;
}

/**
 * The pieces of the text covered by runs of chosen consecutive trigrams: positions 1-2 of
 * "-00012" chosen give "0012". A row with the text has every piece.
 */
function phrasesOf(chars: string[], chosen: boolean[]): string[] {
  const phrases: string[] = [];
  for (let i = 0; i < chosen.length; i++) {
    if (!chosen[i]) continue;
    let j = i;
    while (j + 1 < chosen.length && chosen[j + 1]) j++;
    phrases.push(chars.slice(i, j + 3).join(''));
    i = j;
  }
  return phrases;
}
