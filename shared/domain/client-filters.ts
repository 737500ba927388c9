/**
 * The client table's filter vocabulary as a person types it: the periods "seen within" offers and
 * license states by name. The console's controls and `quorum clients` read the same words.
 */
import { LICENSE_STATE_NAMES, isLicenseState, type LicenseState } from './license-state.js';
import { CLIENT_SORT_COLUMNS, type ClientSortColumn, type ClientWindowQuery } from './records.js';

export const SEEN_WITHIN: readonly { value: string; label: string; ms: number }[] = [
  { value: '1h', label: 'the last hour', ms: 3_600_000 },
  { value: '1d', label: 'the last day', ms: 86_400_000 },
  { value: '7d', label: 'the last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'the last 30 days', ms: 30 * 86_400_000 },
];

/** A license state by its number or its name, in any case, with spaces or hyphens: "initial-grace". */
export function licenseStateNamed(text: string): LicenseState | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  if (/^\d+$/.test(t)) return isLicenseState(Number(t)) ? (Number(t) as LicenseState) : undefined;
  const found = Object.entries(LICENSE_STATE_NAMES).find(([, name]) => name.replace(/-/g, ' ') === t);
  return found ? (Number(found[0]) as LicenseState) : undefined;
}

/** License state names as a command line takes them: "out-of-tolerance-grace". */
export function licenseStateWords(): string[] {
  return Object.values(LICENSE_STATE_NAMES).map((n) => n.replace(/ /g, '-'));
}

/** A sort column as a command line names it: "last-seen" for lastSeen. */
export function sortWord(column: ClientSortColumn): string {
  return column.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export const SORT_WORDS: readonly string[] = CLIENT_SORT_COLUMNS.map(sortWord);

/** A word for a POSIX shell: as it is when it needs no quoting, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w.:@%+=,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `quorum clients` options that name a view of the Clients view: the console shows them
 * where it points to the command line. Defaults are left out; the sort always goes in, since the
 * table's and the export's defaults differ.
 */
export function clientViewArgs(view: Pick<ClientWindowQuery, 'sort' | 'filter'>): string[] {
  const f = view.filter;
  const args: string[] = [];
  // --name=value: a value that starts with "-" would otherwise be taken for an option.
  const add = (name: string, value: string) => args.push(`--${name}=${shellWord(value)}`);
  if (f.text !== undefined) add('text', f.text);
  if (f.productId !== undefined) add('product', f.productId);
  if (f.licenseState !== undefined) add('state', LICENSE_STATE_NAMES[f.licenseState].replace(/ /g, '-'));
  if (f.isVm !== undefined) add('vm', f.isVm ? 'yes' : 'no');
  if (f.lastResult !== undefined) add('result', f.lastResult);
  if (f.seenWithinMs !== undefined) {
    const w = SEEN_WITHIN.find((s) => s.ms === f.seenWithinMs);
    if (w) add('seen-within', w.value);
  }
  add('sort', `${sortWord(view.sort.column)}${view.sort.direction === 'desc' ? ':desc' : ''}`);
  return args;
}
