/**
 * The two check sums of a host key, both modulo the prime 29:
 * - a group check (the 5th symbol of each group): (g + 1) + sum of (k + 1) * v[k] over the group's
 *   five symbols is 0. Weights 1..5 are non-zero mod 29, so any one wrong symbol breaks exactly its
 *   own group, and neighbours swapped inside a group too (weights differ by one). The group number
 *   makes swapped whole groups fail.
 * - a global check (the 4th symbol of group 5): sum of 3^i * u[i] over the 20 data symbols is 0.
 *   Powers of 3 are distinct, and for each group the ratios 3^(4g+k) / (k+1) differ, so from the
 *   two sums' remainders the wrong symbol's position inside its group can be worked out.
 */
import { KEY_RADIX } from './alphabet.js';

const P = KEY_RADIX;

export const GLOBAL_WEIGHTS: readonly number[] = Array.from({ length: 20 }, (_, i) => modPow(3, i));

function mod(n: number): number {
  return ((n % P) + P) % P;
}

function modPow(base: number, exp: number): number {
  let r = 1;
  for (let i = 0; i < exp; i++) r = (r * base) % P;
  return r;
}

function inverse(n: number): number {
  for (let x = 1; x < P; x++) if ((n * x) % P === 1) return x;
  throw new RangeError(`${n} has no inverse mod ${P}.`);
}

/** Remainder of group g's check: 0 when the group is right. `symbols` holds the 5 values. */
export function groupSyndrome(g: number, symbols: readonly number[]): number {
  let s = g + 1;
  symbols.forEach((v, k) => (s += (k + 1) * v));
  return mod(s);
}

/** The check symbol that makes the group's sum 0, given its 4 data values. */
export function groupCheckSymbol(g: number, data: readonly number[]): number {
  const partial = groupSyndrome(g, [...data.slice(0, 4), 0]);
  return mod(-partial * inverse(5));
}

/** Remainder of the global check over the 20 data values: 0 when right. */
export function globalSyndrome(data: readonly number[]): number {
  let s = 0;
  data.forEach((u, i) => (s += (GLOBAL_WEIGHTS[i] ?? 0) * u));
  return mod(s);
}

/** The value of data symbol 19 that makes the global sum 0, given data symbols 0..18. */
export function globalCheckSymbol(first19: readonly number[]): number {
  const partial = globalSyndrome([...first19.slice(0, 19), 0]);
  return mod(-partial * inverse(GLOBAL_WEIGHTS[19] ?? 1));
}

/**
 * Where one wrong symbol in group g sits (0..4), assuming a single error, from the group and
 * global remainders; undefined when the remainders fit no single error (several typos).
 */
export function locateInGroup(g: number, groupRem: number, globalRem: number): number | undefined {
  if (groupRem === 0) return undefined;
  if (globalRem === 0) return 4;
  for (let k = 0; k < 4; k++) {
    const d = mod(groupRem * inverse(k + 1));
    if (mod((GLOBAL_WEIGHTS[4 * g + k] ?? 0) * d) === globalRem) return k;
  }
  return undefined;
}
