/**
 * Installation and confirmation IDs are read aloud and typed back, so they are digits in groups of
 * 7: 6 data digits and a Damm check digit. The Damm check catches every single wrong digit and
 * every swap of neighbours; the group's number is fed into it first, so swapped groups fail too.
 * The data digits of all groups, concatenated, are one decimal number.
 */
const DAMM: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

export const ID_GROUP_DATA_DIGITS = 6;
export const ID_GROUP_SIZE = ID_GROUP_DATA_DIGITS + 1;

export function dammDigit(digits: readonly number[]): number {
  let interim = 0;
  for (const d of digits) interim = DAMM[interim]![d]!;
  return interim;
}

function groupCheck(groupIndex: number, dataDigits: readonly number[]): number {
  return dammDigit([(groupIndex + 1) % 10, ...dataDigits]);
}

export type DigitGroupsErrorKind = 'EMPTY' | 'CHARACTER' | 'LENGTH' | 'GROUP_CHECK';

export interface DigitGroupsError {
  kind: DigitGroupsErrorKind;
  message: string;
  /** 1-based group, when known. */
  group?: number;
}

export type DigitGroupsParse = { ok: true; value: bigint } | { ok: false; error: DigitGroupsError };

/** Writes n as `groups` groups of 7 digits, e.g. `123456-7 ...` joined by dashes. */
export function encodeDigitGroups(n: bigint, groups: number): string {
  const digits = n.toString().padStart(groups * ID_GROUP_DATA_DIGITS, '0');
  if (digits.length > groups * ID_GROUP_DATA_DIGITS) throw new RangeError('Number too large for the digit groups.');
  const out: string[] = [];
  for (let g = 0; g < groups; g++) {
    const data = digits.slice(g * ID_GROUP_DATA_DIGITS, (g + 1) * ID_GROUP_DATA_DIGITS);
    out.push(data + String(groupCheck(g, [...data].map(Number))));
  }
  return out.join('-');
}

/** Reads digit groups typed by a person; `what` names the ID in messages ("confirmation ID"). */
export function parseDigitGroups(text: string, groups: number, what: string): DigitGroupsParse {
  const fail = (kind: DigitGroupsErrorKind, message: string, group?: number): DigitGroupsParse => ({
    ok: false,
    error: group === undefined ? { kind, message } : { kind, message, group },
  });
  const parts = text
    .trim()
    .split(/[\s-]+/)
    .filter((p) => p.length > 0);
  const compact = parts.join('');
  const expected = groups * ID_GROUP_SIZE;
  if (compact.length === 0) return fail('EMPTY', `No ${what} was given: it is ${groups} groups of 7 digits.`);
  const bad = compact.search(/[^0-9]/);
  if (bad >= 0) {
    const g = Math.floor(bad / ID_GROUP_SIZE) + 1;
    return fail('CHARACTER', `The ${what} has "${compact[bad]}" in group ${g}; it is made of digits only.`, g);
  }
  if (parts.length > 1) {
    const wrong = parts.findIndex((p) => p.length !== ID_GROUP_SIZE);
    if (wrong >= 0 && wrong < groups) {
      return fail(
        'LENGTH',
        `Group ${wrong + 1} of the ${what} has ${parts[wrong]!.length} digits; each group has 7.`,
        wrong + 1,
      );
    }
  }
  if (compact.length !== expected) {
    return fail('LENGTH', `The ${what} has ${compact.length} digits; it has ${expected} (${groups} groups of 7).`);
  }
  for (let g = 0; g < groups; g++) {
    const digits = [...compact.slice(g * ID_GROUP_SIZE, (g + 1) * ID_GROUP_SIZE)].map(Number);
    if (groupCheck(g, digits.slice(0, ID_GROUP_DATA_DIGITS)) !== digits[ID_GROUP_DATA_DIGITS]) {
      return fail('GROUP_CHECK', `Group ${g + 1} of the ${what} does not check: one of its digits is mistyped.`, g + 1);
    }
  }
  let data = '';
  for (let g = 0; g < groups; g++) data += compact.slice(g * ID_GROUP_SIZE, g * ID_GROUP_SIZE + ID_GROUP_DATA_DIGITS);
  return { ok: true, value: BigInt(data) };
}

/**
 * One group as typed so far, for a form that checks each group on its own: 'incomplete' until it
 * has 7 digits, then whether its check digit fits its place (`groupIndex`, 0-based) in the ID.
 */
export function checkDigitGroup(groupIndex: number, text: string): 'incomplete' | 'ok' | 'not-digits' | 'mistyped' {
  const t = text.trim();
  if (/[^0-9]/.test(t)) return 'not-digits';
  if (t.length < ID_GROUP_SIZE) return 'incomplete';
  if (t.length > ID_GROUP_SIZE) return 'mistyped';
  const digits = [...t].map(Number);
  return groupCheck(groupIndex, digits.slice(0, ID_GROUP_DATA_DIGITS)) === digits[ID_GROUP_DATA_DIGITS]
    ? 'ok'
    : 'mistyped';
}
