/**
 * The text filter of client windows: which clients have the text in their machine name, address or
 * CMID, found through a full-text index of n-grams: `clients_text` (trigrams of all three, migration
 * 2), or `clients_grams` (4-grams of name and address, migration 7) for a text of four characters or
 * more that only a name or an address can hold.
 *
 * A phrase query reads the posting list of every gram in the text, and in a fleet named
 * pc-0001..pc-9999 on 10.x.y.z some grams ("pc-", "10.") are in every row: a rare name then costs
 * as much as reading a million postings. So each gram's frequency is first estimated from its
 * first postings (see #frequency); only the rarest grams are searched, and the candidates are
 * checked with LIKE. Four-character grams are common far less often, which is why they are used
 * where they can be.
 */
import type { Statement } from 'better-sqlite3';
import { GRAM, gramPhrase, gramPrefix, wellFormed } from './gram-tokens.js';
import { rowidsOf } from './client-id-set.js';

/** Matches at most this many: enough to know the text is selective; more is "many". */
export const PROBE_CAP = 20_000;
/** Text shorter than a trigram cannot use the full-text index. */
export const MIN_FTS_TEXT = 3;

/**
 * Whether the full-text index can search the text: three characters as the trigram tokenizer
 * counts them, code points ("4😀" is three UTF-16 units but two characters, and no trigram).
 */
export function searchable(text: string): boolean {
  return Array.from(text).length >= MIN_FTS_TEXT;
}
/** Postings read per gram to estimate its frequency. */
export const TRIGRAM_SAMPLE = 500;
/**
 * Grams in more than this share of clients ("pc-", "10.", "000" of every CMID) are left out of
 * the search; the others narrow the candidates down.
 */
const COMMON_SHARE = 1 / 16;
/** Grams in at most this share of clients are used, as phrases, when the rare ones alone are not enough. */
const MODERATE_SHARE = 1 / 4;
/**
 * Candidates checked with LIKE at most, at least: each costs a row read (~3 µs). More are checked
 * when the phrase query they avoid would read more than POSTINGS_PER_CANDIDATE postings for each
 * (~0.02 µs per posting: "-00012" reads ~2,100,000 postings of "-00", "000", "001", "012", ~45 ms).
 */
const MAX_CANDIDATES = 4_000;
const POSTINGS_PER_CANDIDATE = 150;
/**
 * A single piece whose rarest gram is in this many times the candidates checked at most is not
 * tried; nor is a text of one gram in this many times the probe cap.
 */
const HOPELESS_CANDIDATES = 1.5;
/** A text of a single gram lists this many times the probe cap. */
const SINGLE_GRAM_CAP = 2;
/** Texts longer than this are searched as one phrase (their grams are seldom all common). */
const MAX_PROBED_GRAMS = 16;

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

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

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

/** A full-text index of n-grams that the text filter searches. */
interface GramIndex {
  table: string;
  /** Characters (as the index counts them) per gram. */
  size: number;
  /** The columns it holds. */
  columns: readonly TextColumn[];
  /** The text cut into the characters its grams are made of. */
  charsOf(text: string): string[];
  /** A phrase query matching the values that have `piece` (at least `size` characters). */
  phrase(piece: string): string;
}

/** Trigrams of all three columns: code points, as the trigram tokenizer cuts them. */
const TRIGRAMS: GramIndex = {
  table: 'clients_text',
  size: 3,
  columns: TEXT_COLUMNS,
  charsOf: (text) => Array.from(text),
  phrase: ftsPhrase,
};

/** 4-grams of machine name and address: UTF-16 units, as gram-tokens.ts cuts them. */
const GRAMS: GramIndex = {
  table: 'clients_grams',
  size: GRAM,
  columns: ['machine_name', 'address'],
  charsOf: (text) => wellFormed(text).split(''),
  phrase: gramPhrase,
};

/** The index a text is searched in: 4-grams when the text is long enough and only a name or address can hold it. */
function indexFor(text: string): GramIndex {
  const long = GRAMS.charsOf(text).length >= GRAM;
  return long && columnsFor(text).every((col) => GRAMS.columns.includes(col)) ? GRAMS : TRIGRAMS;
}

export class ClientTextSearch {
  readonly #prepare: (sql: string) => Statement;
  readonly #sample: number;
  readonly #probeCap: number;
  /** The last text's estimate in each index: a window may read both (ids in one, mayBeIn in the trigrams). */
  readonly #last = new Map<GramIndex, Estimate>();

  /**
   * `probeCap`: a text in this many clients is "many" (no rowids returned). `sample` is lowered by
   * tests, so that a few hundred clients have common and rare grams.
   */
  constructor(prepare: (sql: string) => Statement, sample = TRIGRAM_SAMPLE, probeCap = PROBE_CAP) {
    this.#prepare = prepare;
    this.#sample = sample;
    this.#probeCap = probeCap;
  }

  /** Rowids of the clients matching the text, ascending, or undefined when `probeCap` (PROBE_CAP) or more match. */
  ids(text: string): number[] | undefined {
    const index = indexFor(text);
    const est = this.#estimate(text, index);
    if (est && est.positions.length > 1 && est.positions.length <= MAX_PROBED_GRAMS) {
      const { frequency, maxRowid } = est;
      const least = Math.min(...frequency);
      // First the rare grams alone (few candidates, cheap to check), then with the moderately
      // common ones too, as phrases of consecutive grams ("0012" of "-00012"), which narrow far
      // more than the same grams anywhere in the row.
      let tried = '';
      for (const share of [COMMON_SHARE, MODERATE_SHARE]) {
        const chosen = frequency.map((f) => f <= Math.max(least, maxRowid * share));
        if (least >= this.#probeCap || chosen.every(Boolean)) break;
        const phrases = phrasesOf(est.chars, chosen, index.size);
        if (phrases.join('\u0000') === tried) continue;
        tried = phrases.join('\u0000');
        // The rare grams alone get the plain budget: a second, longer phrase may narrow further.
        const max = Math.max(
          MAX_CANDIDATES,
          Math.floor((share === COMMON_SHARE ? 0 : est.postings) / POSTINGS_PER_CANDIDATE),
        );
        // One piece is in at most as many clients as its rarest gram, and seldom in far fewer:
        // reading up to `max` candidates only to give up would be wasted.
        if (phrases.length === 1 && least > max * HOPELESS_CANDIDATES) continue;
        const ids = this.#viaCandidates(text, index, phrases, max);
        if (ids) return ids.length < this.#probeCap ? ids : undefined;
      }
    }
    // A text of one gram reads one posting list, ~0.2 µs a match: listing more of them is cheap,
    // and walks test a long list as a byte map (client-id-set.ts).
    const single = est?.positions.length === 1;
    const cap = single ? this.#probeCap * SINGLE_GRAM_CAP : this.#probeCap;
    // Its estimate is good enough to tell a gram in far more clients than the cap ("10.1", "pc-").
    if (single && est.frequency[0]! > cap * HOPELESS_CANDIDATES) return undefined;
    // Only the columns the text can be in: the others' positions are skipped.
    const columns = columnsFor(text);
    const match =
      columns.length < index.columns.length ? `{${columns.join(' ')}} : ${index.phrase(text)}` : index.phrase(text);
    const ids = this.#matching(index, match, cap);
    if (ids === undefined) return undefined;
    // The trigram tokenizer folds the case of every letter, LIKE only of ASCII ones: "ÑAN" finds
    // "ñan" there, so a text with other characters is checked.
    return index === TRIGRAMS && hasNonAscii(text) ? this.#withText(text, index, ids) : ids;
  }

  /**
   * Whether the text has more than one gram and each is in at least the probe cap's worth of
   * clients: its listing then reads every gram's posting list up to the cap. (A one-gram text's
   * estimate is its own frequency, which ids() judges.)
   */
  allGramsCommon(text: string): boolean {
    const est = this.#estimate(text, indexFor(text));
    return est !== undefined && est.positions.length > 1 && Math.min(...est.frequency) >= this.#probeCap;
  }

  /**
   * Rowids of the clients with a text too short for a trigram ("zz", "4😀"), ascending, found by
   * prefix in the 4-gram index; undefined when `cap` or more match, or when the text may be in a
   * CMID, which that index does not hold. FTS5 merges the postings of every gram with the prefix
   * before the first row: call it only for a text that few clients have.
   */
  shortIds(text: string, cap: number): number[] | undefined {
    const columns = columnsFor(text);
    if (!columns.every((col) => GRAMS.columns.includes(col)) || GRAMS.charsOf(text).length >= GRAM) return undefined;
    return this.#matching(GRAMS, `{${columns.join(' ')}} : ${gramPrefix(text)}`, cap);
  }

  /** Rowids the full-text query matches, ascending; undefined when `cap` or more do. */
  #matching(index: GramIndex, match: string, cap: number): number[] | undefined {
    const select = `SELECT rowid FROM ${index.table} WHERE ${index.table} MATCH ? ORDER BY rowid LIMIT ?`;
    const ids = rowidsOf(this.#prepare, select, match, cap);
    return ids.length < cap ? ids : undefined;
  }

  /**
   * Whether some client may have the text in one of `columns`: false only when certain, because
   * the text's rarest trigram is in none of them in any client. That costs one read of the
   * trigram's postings (~3 ms for 100,000), so it is not tried for trigrams in more than
   * `maxShare` of the clients.
   */
  mayBeIn(text: string, columns: readonly TextColumn[], maxShare: number): boolean {
    // The 4-gram index where it holds the columns: its rarest gram is rarer ("0.20" of "10.20").
    const grams = indexFor(text);
    const index = columns.every((col) => grams.columns.includes(col)) ? grams : TRIGRAMS;
    const est = this.#estimate(text, index);
    if (!est) return true;
    const least = Math.min(...est.frequency);
    if (least > est.maxRowid * maxShare) return true;
    const rarest = est.positions[est.frequency.indexOf(least)]!;
    const sql = `SELECT 1 FROM ${index.table} WHERE ${index.table} MATCH ? LIMIT 1`;
    return this.#prepare(sql).get(`{${columns.join(' ')}} : ${index.phrase(rarest)}`) !== undefined;
  }

  /**
   * Each gram's estimated frequency, per position of the text; kept for the last text in each
   * index, since a window asks more than once (ids, allGramsCommon, mayBeIn) and the console asks again at
   * every refresh. Undefined for text shorter than a gram.
   */
  #estimate(text: string, index: GramIndex): Estimate | undefined {
    const maxRowid = (this.#prepare('SELECT MAX(rowid) AS m FROM clients').get() as { m: number | null }).m ?? 0;
    const last = this.#last.get(index);
    if (last?.text === text && last.maxRowid === maxRowid) return last;
    const chars = index.charsOf(text);
    const positions = chars.slice(0, 1 - index.size).map((_, i) => chars.slice(i, i + index.size).join(''));
    if (positions.length === 0) return undefined;
    const byGram = new Map([...new Set(positions)].map((t) => [t, this.#frequency(index, t, maxRowid)]));
    const estimate: Estimate = {
      text,
      maxRowid,
      chars,
      positions,
      frequency: positions.map((t) => byGram.get(t)!),
      postings: [...byGram.values()].reduce((a, b) => a + b, 0),
    };
    this.#last.set(index, estimate);
    return estimate;
  }

  /**
   * How many clients have the gram: exact below the sample size, else estimated from how far
   * into the rowids the sample reached (postings come in rowid order; rowids spread over the table).
   * Only the choice of grams depends on it, never the result.
   */
  #frequency(index: GramIndex, gram: string, maxRowid: number): number {
    const sql = `SELECT rowid FROM ${index.table} WHERE ${index.table} MATCH ? ORDER BY rowid LIMIT ?`;
    const rowids = this.#prepare(sql).pluck().all(index.phrase(gram), this.#sample) as number[];
    if (rowids.length < this.#sample) return rowids.length;
    return (rowids.length * maxRowid) / Math.max(1, rowids.at(-1)!);
  }

  /**
   * Candidates have every phrase (a piece of the text) somewhere; LIKE keeps those that have the
   * whole text. Undefined when there are `max` candidates or more, more than checking them is
   * worth: each costs a row read, where the phrase query of the whole text reads every posting of
   * its grams.
   */
  #viaCandidates(text: string, index: GramIndex, phrases: string[], max: number): number[] | undefined {
    const candidates = this.#prepare(`SELECT rowid FROM ${index.table} WHERE ${index.table} MATCH ? LIMIT ?`)
      .pluck()
      .all(phrases.map((p) => index.phrase(p)).join(' AND '), max) as number[];
    if (candidates.length >= max) return undefined;
    return this.#withText(text, index, candidates);
  }

  /** The candidates (rowids) that LIKE finds the text in, ascending: each costs a row read. */
  #withText(text: string, index: GramIndex, candidates: number[]): number[] {
    const like = likeCondition(text, index.columns);
    const sql = `SELECT rowid FROM clients WHERE rowid IN (SELECT value FROM json_each(?)) AND ${like.sql} ORDER BY rowid`;
    return this.#prepare(sql)
      .pluck()
      .all(JSON.stringify(candidates), ...like.params) as number[];
  }
}

interface Estimate {
  text: string;
  maxRowid: number;
  /** The text's characters, as the index cuts them. */
  chars: string[];
  /** The gram at each position of the text. */
  positions: string[];
  /** The estimated number of clients with the gram at each position. */
  frequency: number[];
  /** The estimated postings of all its distinct grams: what the phrase query reads. */
  postings: number;
}

/**
 * The pieces of the text covered by runs of chosen consecutive grams of `size` characters:
 * trigram positions 1-2 of "-00012" chosen give "0012". A row with the text has every piece.
 */
function phrasesOf(chars: string[], chosen: boolean[], size: number): string[] {
  const phrases: string[] = [];
  for (let i = 0; i < chosen.length; i++) {
    if (!chosen[i]) continue;
    let j = i;
    while (j + 1 < chosen.length && chosen[j + 1]) j++;
    phrases.push(chars.slice(i, j + size).join(''));
    i = j;
  }
  return phrases;
}
