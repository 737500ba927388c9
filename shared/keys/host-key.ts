/**
 * Quorum host keys: 25 symbols in 5 groups of 5, e.g. `7KQ2M-HX4PB-9C3TD-WRA8E-N6YJF`.
 *
 * Groups 1-4 each hold 4 data symbols and a group check symbol; group 5 holds 3 data symbols, the
 * global check symbol and its group check symbol. The 19 leading data symbols are a base-29 number
 * (most significant first) holding 92 bits, high to low:
 *   version (1, = 0) | family (2) | generation (5) | serial (28) | authority tag (16) | authenticator (40)
 * The authenticator is a MAC only the issuing authority can compute (src-main/authority); anyone can
 * check the symbols for typos here, and learn which group (and where in it) a typo sits.
 */
import type { ProductFamily } from '../domain/products.js';
import { KEY_RADIX, symbolOf, symbolValue, whyNotASymbol } from './alphabet.js';
import { globalCheckSymbol, globalSyndrome, groupCheckSymbol, groupSyndrome, locateInGroup } from './check-sums.js';

export const KEY_GROUPS = 5;
export const KEY_GROUP_SIZE = 5;
export const KEY_LENGTH = KEY_GROUPS * KEY_GROUP_SIZE;
export const MAX_KEY_GENERATION = 31;
export const MAX_KEY_SERIAL = 2 ** 28 - 1;

const DATA_SYMBOLS = 19;
const FAMILY_CODES: readonly ProductFamily[] = ['desktop', 'server', 'office'];

/** What a key says, without its symbols. */
export interface HostKeyFields {
  family: ProductFamily;
  /** The newest product generation the key covers (older ones of its family too). */
  generation: number;
  /** Unique per issuing authority. */
  serial: number;
  /** 16 bits naming the issuing authority, so a host can tell which authority to ask. */
  authorityTag: number;
  /** 40-bit MAC by the issuing authority over the fields above. */
  authenticator: number;
}

export interface HostKey extends HostKeyFields {
  /** Canonical text: upper case, groups joined by dashes. */
  text: string;
}

export type HostKeyErrorCode =
  | 'KEY_EMPTY'
  | 'KEY_CHARACTER'
  | 'KEY_GROUP_LENGTH'
  | 'KEY_INCOMPLETE'
  | 'KEY_TOO_LONG'
  | 'KEY_GROUP_CHECK'
  | 'KEY_CHECKSUM'
  | 'KEY_NOT_A_KEY';

export interface HostKeyError {
  code: HostKeyErrorCode;
  message: string;
  /** 1-based group (1..5) the problem is in, when known. */
  group?: number;
  /** 1-based character (1..5) inside that group, when known. */
  position?: number;
}

export type HostKeyParse = { ok: true; key: HostKey } | { ok: false; error: HostKeyError };

/**
 * What may separate groups: white space and any dash, since word processors and chat clients
 * turn a typed "-" into an en or em dash before the key is pasted. The minus sign (U+2212) is a
 * mathematical symbol to Unicode, not a dash, but typesetting tools write it for "-" just the same.
 */
const SEPARATORS = /[\s\p{Pd}\u2212]+/u;

/** A character as a message may show it: control, format and lone surrogate characters by code point. */
function shown(c: string): string {
  return /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u.test(c)
    ? `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    : `"${c}"`;
}

/** Upper case, separators (dashes, spaces) removed. */
export function normalizeHostKey(text: string): string {
  return text.toUpperCase().replace(new RegExp(SEPARATORS.source, 'gu'), '');
}

/** Groups of 5 joined by dashes (a trailing partial group stays as typed). */
export function formatHostKey(text: string): string {
  const compact = normalizeHostKey(text);
  const groups: string[] = [];
  for (let i = 0; i < compact.length; i += KEY_GROUP_SIZE) groups.push(compact.slice(i, i + KEY_GROUP_SIZE));
  return groups.join('-');
}

/** Shows only the last 5 characters: `*****-*****-*****-*****-N6YJF`. Safe for logs and errors. */
export function maskHostKey(text: string): string {
  const compact = normalizeHostKey(text);
  const last = compact.length > KEY_GROUP_SIZE ? compact.slice(-KEY_GROUP_SIZE) : '*****';
  return `*****-*****-*****-*****-${last}`;
}

/** The last 5 characters alone, as inventories show them. */
export function lastFiveOf(text: string): string {
  return normalizeHostKey(text).slice(-KEY_GROUP_SIZE);
}

function fail(code: HostKeyErrorCode, message: string, group?: number, position?: number): HostKeyParse {
  const error: HostKeyError = { code, message };
  if (group !== undefined) error.group = group;
  if (position !== undefined) error.position = position;
  return { ok: false, error };
}

function tooLong(length: number): HostKeyParse {
  return fail(
    'KEY_TOO_LONG',
    `The key is too long: it has ${length.toLocaleString('en-US')} characters; a host key has 25 (5 groups of 5).`,
  );
}

/**
 * Validates text typed or pasted by a person. Complete groups are checked as soon as they are
 * typed, so a live form can point at a wrong group before the key is finished.
 */
export function parseHostKey(text: string): HostKeyParse {
  const upper = text.toUpperCase().trim();
  if (upper.length === 0) return fail('KEY_EMPTY', 'No key was given. A host key has 25 characters in 5 groups of 5.');
  const parts = upper.split(SEPARATORS).filter((p) => p.length > 0);
  const compact = parts.join('');
  // Far past any typo of a key (something else was pasted): no group by group account of it.
  if (compact.length > 2 * KEY_LENGTH) return tooLong(compact.length);
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i]!;
    if (symbolValue(c) === undefined) {
      const g = Math.floor(i / KEY_GROUP_SIZE) + 1;
      const p = (i % KEY_GROUP_SIZE) + 1;
      return fail(
        'KEY_CHARACTER',
        `Group ${g}, character ${p}: ${shown(c)} is not in Quorum keys (${whyNotASymbol(c)}).`,
        g,
        p,
      );
    }
  }
  // With all 25 symbols present a misplaced or missing dash changes nothing: the check sums judge
  // the symbols. Group lengths only explain a key that is too short or too long.
  if (parts.length > 1 && compact.length !== KEY_LENGTH) {
    for (let g = 0; g < parts.length; g++) {
      const len = parts[g]!.length;
      const last = g === parts.length - 1;
      if (len > KEY_GROUP_SIZE || (!last && len < KEY_GROUP_SIZE)) {
        return fail('KEY_GROUP_LENGTH', `Group ${g + 1} has ${len} characters; each group has 5.`, g + 1);
      }
    }
  }
  if (compact.length > KEY_LENGTH) return tooLong(compact.length);
  const values = [...compact].map((c) => symbolValue(c)!);
  const completeGroups = Math.min(KEY_GROUPS, Math.floor(values.length / KEY_GROUP_SIZE));
  const data = dataSymbols(values);
  const globalRem = values.length >= KEY_LENGTH ? globalSyndrome(data) : undefined;
  const failing: number[] = [];
  for (let g = 0; g < completeGroups; g++) {
    if (groupSyndrome(g, values.slice(g * KEY_GROUP_SIZE, (g + 1) * KEY_GROUP_SIZE)) !== 0) failing.push(g);
  }
  if (failing.length > 0) {
    const g = failing[0]!;
    const rem = groupSyndrome(g, values.slice(g * KEY_GROUP_SIZE, (g + 1) * KEY_GROUP_SIZE));
    const k = failing.length === 1 && globalRem !== undefined ? locateInGroup(g, rem, globalRem) : undefined;
    const others = failing.length > 1 ? ` (groups ${failing.map((f) => f + 1).join(', ')} all fail)` : '';
    const where = k === undefined ? 'one of its characters is mistyped' : `character ${k + 1} is probably mistyped`;
    return fail(
      'KEY_GROUP_CHECK',
      `Group ${g + 1} does not check: ${where}${others}.`,
      g + 1,
      k === undefined ? undefined : k + 1,
    );
  }
  if (values.length < KEY_LENGTH) {
    const g = Math.floor(values.length / KEY_GROUP_SIZE) + 1;
    return fail('KEY_INCOMPLETE', `The key has ${values.length} of 25 characters; group ${g} is incomplete.`, g);
  }
  if (globalRem !== 0) {
    return fail('KEY_CHECKSUM', 'The key does not check as a whole: two or more characters are mistyped or swapped.');
  }
  const fields = decodePayload(data.slice(0, DATA_SYMBOLS));
  if (!fields) return fail('KEY_NOT_A_KEY', 'The characters check, but they do not spell a Quorum host key.');
  return { ok: true, key: { ...fields, text: formatHostKey(compact) } };
}

/** Builds the key text for fields (the authority calls this after computing the authenticator). */
export function encodeHostKey(fields: HostKeyFields): HostKey {
  checkFields(fields);
  let n = payloadOf(fields);
  const data: number[] = new Array<number>(DATA_SYMBOLS);
  for (let i = DATA_SYMBOLS - 1; i >= 0; i--) {
    data[i] = Number(n % BigInt(KEY_RADIX));
    n /= BigInt(KEY_RADIX);
  }
  data.push(globalCheckSymbol(data));
  let text = '';
  for (let g = 0; g < KEY_GROUPS; g++) {
    const groupData = data.slice(g * 4, g * 4 + 4);
    const symbols = [...groupData, groupCheckSymbol(g, groupData)];
    text += (g > 0 ? '-' : '') + symbols.map(symbolOf).join('');
  }
  return { ...fields, text };
}

/** The bytes the authority's MAC covers: version, family, generation, serial, authority tag. */
export function hostKeyMacInput(fields: Omit<HostKeyFields, 'authenticator'>): Uint8Array {
  const b = new Uint8Array(9);
  b[0] = 0;
  b[1] = FAMILY_CODES.indexOf(fields.family);
  b[2] = fields.generation;
  new DataView(b.buffer).setUint32(3, fields.serial);
  new DataView(b.buffer).setUint16(7, fields.authorityTag);
  return b;
}

/** The key as one 92-bit number (used inside installation IDs). */
export function payloadOf(fields: HostKeyFields): bigint {
  return (
    (BigInt(FAMILY_CODES.indexOf(fields.family)) << 89n) |
    (BigInt(fields.generation) << 84n) |
    (BigInt(fields.serial) << 56n) |
    (BigInt(fields.authorityTag) << 40n) |
    BigInt(fields.authenticator)
  );
}

/** Inverse of payloadOf; undefined when the number is not a valid key payload. */
export function fieldsOfPayload(n: bigint): HostKeyFields | undefined {
  if (n < 0n || n >> 92n !== 0n) return undefined;
  if (n >> 91n !== 0n) return undefined;
  const family = FAMILY_CODES[Number((n >> 89n) & 3n)];
  const generation = Number((n >> 84n) & 31n);
  if (!family || generation === 0) return undefined;
  return {
    family,
    generation,
    serial: Number((n >> 56n) & 0xfffffffn),
    authorityTag: Number((n >> 40n) & 0xffffn),
    authenticator: Number(n & 0xffffffffffn),
  };
}

function decodePayload(symbols: readonly number[]): HostKeyFields | undefined {
  let n = 0n;
  for (const v of symbols) n = n * BigInt(KEY_RADIX) + BigInt(v);
  return fieldsOfPayload(n);
}

function dataSymbols(values: readonly number[]): number[] {
  const data: number[] = [];
  for (let i = 0; i < values.length; i++) if (i % KEY_GROUP_SIZE !== 4) data.push(values[i]!);
  return data;
}

function checkFields(f: HostKeyFields): void {
  const bad = (what: string) => new RangeError(`Host key field out of range: ${what}.`);
  if (!FAMILY_CODES.includes(f.family)) throw bad(`family ${f.family}`);
  if (!Number.isInteger(f.generation) || f.generation < 1 || f.generation > MAX_KEY_GENERATION) throw bad('generation');
  if (!Number.isInteger(f.serial) || f.serial < 0 || f.serial > MAX_KEY_SERIAL) throw bad('serial');
  if (!Number.isInteger(f.authorityTag) || f.authorityTag < 0 || f.authorityTag > 0xffff) throw bad('authority tag');
  if (!Number.isInteger(f.authenticator) || f.authenticator < 0 || f.authenticator > 2 ** 40 - 1) {
    throw bad('authenticator');
  }
}
