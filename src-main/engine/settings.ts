/**
 * Where the host's activation and renewal intervals (slmgr /sai, /sri) are kept in the settings
 * table, and how a stored value is read back. A value someone edited into the database badly is
 * refused with the key's name, never silently replaced by the default.
 */
import { QuorumError, checkInterval, type IntervalName } from '../../shared/domain/index.js';
import type { EngineIntervals } from './types.js';

export const INTERVAL_SETTINGS = {
  activationIntervalMin: 'engine.activationIntervalMin',
  renewalIntervalMin: 'engine.renewalIntervalMin',
} as const;

export function intervalsFromSettings(get: (key: string) => string | undefined): EngineIntervals {
  const read = (name: IntervalName, key: string): number | undefined => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    const minutes = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    const problem = checkInterval(name, minutes);
    if (problem) {
      throw new QuorumError(
        'INTERVAL_OUT_OF_RANGE',
        `The stored setting ${key} is "${raw}". ${problem}`,
        `Correct it with: quorum settings set ${name}-interval VALUE (or "default"), with --data-dir for this host.`,
      );
    }
    return minutes;
  };
  const out: EngineIntervals = {};
  const activation = read('activation', INTERVAL_SETTINGS.activationIntervalMin);
  const renewal = read('renewal', INTERVAL_SETTINGS.renewalIntervalMin);
  if (activation !== undefined) out.activationIntervalMin = activation;
  if (renewal !== undefined) out.renewalIntervalMin = renewal;
  return out;
}
