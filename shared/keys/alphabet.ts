/**
 * The host-key alphabet: 29 symbols, a prime count, so that weighted check sums modulo 29 catch
 * every single substitution. Symbols people confuse are left out: 0 O, 1 I L, U (V), S (5).
 */
export const KEY_ALPHABET = '23456789ABCDEFGHJKMNPQRTVWXYZ';
export const KEY_RADIX = 29;

const VALUES = new Map<string, number>([...KEY_ALPHABET].map((c, i) => [c, i]));

export function symbolValue(c: string): number | undefined {
  return VALUES.get(c);
}

export function symbolOf(value: number): string {
  const c = KEY_ALPHABET[value];
  if (c === undefined) throw new RangeError(`No key symbol for value ${value}.`);
  return c;
}

const LOOKALIKES: Readonly<Record<string, string>> = {
  '0': 'Quorum keys have no 0 or O',
  O: 'Quorum keys have no 0 or O',
  '1': 'Quorum keys have no 1, I or L',
  I: 'Quorum keys have no 1, I or L',
  L: 'Quorum keys have no 1, I or L',
  U: 'Quorum keys have no U; did you mean V?',
  S: 'Quorum keys have no S; did you mean 5?',
};

/** Why a character cannot be in a key, phrased for the person who typed it. */
export function whyNotASymbol(c: string): string {
  return LOOKALIKES[c] ?? `only ${KEY_ALPHABET} are used`;
}
