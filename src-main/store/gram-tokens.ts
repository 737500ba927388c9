/**
 * Four-character grams of machine names and addresses as words for the full-text index
 * `clients_grams` (migration 7), which the `ascii` tokenizer then indexes one word per position.
 *
 * Why a second index beside the trigram one: in a fleet named pc-0000001.. on 10.x.y.z, "pc-",
 * "c-1" or "10." are in most clients, and a trigram phrase query reads every posting of every
 * trigram in the text: "pc-12" or "10.20." read a million postings (~20-25 ms at a million
 * clients). Four characters are far rarer ("c-12" is in 1%), so the same phrase over 4-grams reads
 * a tenth of that.
 *
 * A phrase of the text's consecutive 4-grams matches exactly the values that have the text, so a
 * match needs no second check: each gram is encoded one-to-one (see encodeUnit), after the same
 * ASCII case folding as LIKE. A value's end is padded with three END codes, so that every
 * position starts a gram: a text of one or two characters ("zz") is then found by a prefix query
 * (gramPrefix), where the trigram index cannot find it at all. Three characters are left to the
 * trigram index.
 */

/** Characters per gram. */
export const GRAM = 4;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text as SQLite stores it: a lone surrogate becomes U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * One UTF-16 code unit as letters the `ascii` tokenizer keeps in one word: 0-9 and a-y as
 * themselves, anything else (z, punctuation, any non-ASCII unit) as "z" and four hex digits. No
 * code is a prefix of another, so a word decodes to exactly one gram. Units, not code points: a
 * well-formed text is a substring of a value exactly when its units are.
 */
function encodeUnit(u: number): string {
  if ((u >= 48 && u <= 57) || (u >= 97 && u <= 121)) return String.fromCharCode(u);
  return `z${u.toString(16).padStart(4, '0')}`;
}

/** Pads a value's end: "z" and a letter no escape has, so it is in no text's code. */
const END = 'zs';

/** The text's units as codes, ASCII letters folded as LIKE folds them (and only those). */
function codesOf(text: string): string[] {
  const units = wellFormed(text);
  const codes: string[] = [];
  for (let i = 0; i < units.length; i++) {
    let u = units.charCodeAt(i);
    if (u >= 65 && u <= 90) u += 32;
    codes.push(encodeUnit(u));
  }
  return codes;
}

/** The words of a value's grams, one per unit, in order, separated by spaces (END-padded at the end). */
export function gramWords(value: string): string {
  const codes = codesOf(value);
  const padded = [...codes, END, END, END];
  const words: string[] = [];
  for (let i = 0; i < codes.length; i++) words.push(padded.slice(i, i + GRAM).join(''));
  return words.join(' ');
}

/** A phrase query for a text of GRAM units or more: its grams as consecutive words. */
export function gramPhrase(text: string): string {
  const codes = codesOf(text);
  const words: string[] = [];
  for (let i = 0; i + GRAM <= codes.length; i++) words.push(codes.slice(i, i + GRAM).join(''));
  return `"${words.join(' ')}"`;
}

/** A prefix query for a text of one to GRAM - 1 units: every gram that starts with it. */
export function gramPrefix(text: string): string {
  return `${codesOf(text).join('')}*`;
}
