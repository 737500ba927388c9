/**
 * The client table's filter vocabulary as a person types it: the periods "seen within" offers and
 * license states by name. The console's controls and `quorum clients` read the same words.
 */
import { LICENSE_STATE_NAMES, isLicenseState, type LicenseState } from './license-state.js';

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
