/**
 * The client table's text filter: which clients a text finds, the test that decides it, and how
 * the clients that may have it are listed.
 *
 * A text of three characters or more is found anywhere in a client's machine name, address or
 * CMID; its candidates come from the trigram full-text index `clients_text`. A shorter text has no
 * trigram, and finding it anywhere would test every row of the table (a text no client has reads
 * all of them), so it is found at the start of those values only, through the indexes the table
 * keeps on each of them: "pc" finds "PC-0042", not "mpc-1". Either way ASCII letters match in
 * either case and other characters exactly, as SQLite's LIKE does.
 */
import { sortIndex } from './client-row.js';
import { getRow, type Param, type Steps } from './sql-steps.js';

/** Code points a text needs for the full-text index (its tokens are trigrams). */
export const MIN_FTS_TEXT = 3;

/** A CMID is stored only as GUID text, so only such a text can be in one. */
const CMID_TEXT = /^[0-9a-f-]+$/i;
/** An address is stored as IPv4 or IPv6 without a zone (normalizeAddress), or "unknown". */
const ADDRESS_TEXT = /^[0-9a-f.:]+$/i;

/** Three characters as the trigram tokenizer counts them: code points, not UTF-16 units. */
export function isShortText(text: string): boolean {
  return Array.from(text).length < MIN_FTS_TEXT;
}

/**
 * The columns a text can be in at all, known from the text alone: "pc-1" cannot be in a CMID or
 * an address, so a walk of the machine-name index tests it in the entry and reads no row for it.
 */
function textColumns(text: string): string[] {
  const columns = ['machine_name'];
  if (ADDRESS_TEXT.test(text) || 'unknown'.includes(text.toLowerCase())) columns.push('address');
  if (CMID_TEXT.test(text)) columns.push('cmid');
  return columns;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The test that defines a match, on a clients row `c`. */
export function textTest(text: string): { where: string; params: Param[] } {
  const columns = textColumns(text);
  const pattern = isShortText(text) ? `${escapeLike(text)}%` : `%${escapeLike(text)}%`;
  return {
    where: `(${columns.map((col) => `c.${col} LIKE ? ESCAPE '\\'`).join(' OR ')})`,
    params: columns.map(() => pattern),
  };
}

/** Clients that may have a text: how many (at most the limit asked for) and their rowids as a JSON array. */
export interface TextCandidates {
  count: number;
  ids: string;
  /** Whether each of them has it (a prefix range); else LIKE decides (the full-text index folds more case). */
  exact: boolean;
}

/**
 * Up to `limit` clients that may have the text. The rowids stay JSON text, listed and read back
 * by SQLite (json_each): on the console reader's thread, this thread never holds them as numbers.
 */
export function* textCandidates(text: string, limit: number): Steps<TextCandidates> {
  const listed = (sql: string, params: Param[]) =>
    getRow<{ n: number; ids: string }>(`SELECT COUNT(*) AS n, json_group_array(id) AS ids FROM (${sql})`, params);
  if (!isShortText(text)) {
    const r = yield* listed('SELECT rowid AS id FROM clients_text WHERE clients_text MATCH ? LIMIT ?', [
      `"${text.replace(/"/g, '""')}"`,
      limit,
    ]);
    return { count: r!.n, ids: r!.ids, exact: false };
  }
  // One index range per column and spelling, each read only up to the limit; UNION drops a client
  // found twice (its name and its address both start with the text).
  const ranges: string[] = [];
  const params: Param[] = [];
  for (const column of textColumns(text)) {
    for (const prefix of caseVariants(text)) {
      const upper = successor(prefix);
      ranges.push(
        `SELECT id FROM (SELECT rowid AS id FROM clients INDEXED BY ${sortIndex(column)}` +
          ` WHERE ${column} >= ?${upper === undefined ? '' : ` AND ${column} < ?`} LIMIT ?)`,
      );
      params.push(prefix, ...(upper === undefined ? [] : [upper]), limit);
    }
  }
  const r = yield* listed(`${ranges.join(' UNION ')} LIMIT ?`, [...params, limit]);
  return { count: r!.n, ids: r!.ids, exact: true };
}

/** Every spelling of the text that LIKE takes for it: each ASCII letter in either case. */
function caseVariants(text: string): string[] {
  let variants = [''];
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const forms = /^[a-z]$/i.test(ch) && lower !== upper ? [lower, upper] : [ch];
    variants = variants.flatMap((v) => forms.map((f) => v + f));
  }
  return variants;
}

/**
 * The least text after every text that starts with `prefix`, in SQLite's BINARY order (UTF-8
 * bytes, which is code point order): the prefix with its last code point raised by one. Undefined
 * when there is none (a prefix of only U+10FFFF).
 */
export function successor(prefix: string): string | undefined {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return undefined;
}
