/**
 * The host settings a person may change (`quorum settings`, later the console's settings page),
 * each with its unit, default, bounds and whether a running host applies it at once. Values are
 * checked here so a bad one is refused with the reason, never stored.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import {
  checkInterval,
  DEFAULT_ACTIVATION_INTERVAL_MIN,
  DEFAULT_RENEWAL_INTERVAL_MIN,
} from '../../shared/domain/timings.js';
import { INTERVAL_SETTINGS } from '../engine/settings.js';
import { RETENTION_SETTINGS } from '../store/open-store.js';
import { DEFAULT_RETENTION, RETENTION_BOUNDS } from '../store/request-log.js';
import type { ActivationStore } from '../store/types.js';
import { DEFAULT_RPC_LIMITS, type RpcLimits } from '../rpc/limits.js';
import {
  DEFAULT_NEW_CLIENTS_PER_ADDRESS_PER_HOUR,
  NEW_CLIENTS_BOUNDS,
  NEW_CLIENTS_SETTING,
} from './new-client-guard.js';

/** The listener limits a person may set (applied at the host's next start). */
export const RPC_LIMIT_SETTINGS = {
  maxConnectionsPerAddress: 'rpc.maxConnectionsPerAddress',
  requestsPerAddressPerSecond: 'rpc.requestsPerAddressPerSecond',
} as const satisfies Partial<Record<keyof RpcLimits, string>>;

export interface HostSettingSpec {
  /** Name on the command line. */
  name: string;
  /** Key in the settings table. */
  key: string;
  unit: string;
  defaultValue: number;
  summary: string;
  /** True when a running host applies a change within seconds; false when at its next start. */
  live: boolean;
  /** A message saying what is wrong, or null. */
  check(value: number): string | null;
}

function within(min: number, max: number, unit: string) {
  return (n: number) =>
    n >= min && n <= max ? null : `It must be a whole number of ${unit} from ${min} to ${max}; got ${n}.`;
}

export const HOST_SETTINGS: readonly HostSettingSpec[] = [
  {
    name: 'activation-interval',
    key: INTERVAL_SETTINGS.activationIntervalMin,
    unit: 'minutes',
    defaultValue: DEFAULT_ACTIVATION_INTERVAL_MIN,
    summary: 'how often a client that is not activated retries (slmgr /sai)',
    live: true,
    check: (n) => checkInterval('activation', n),
  },
  {
    name: 'renewal-interval',
    key: INTERVAL_SETTINGS.renewalIntervalMin,
    unit: 'minutes',
    defaultValue: DEFAULT_RENEWAL_INTERVAL_MIN,
    summary: 'how often an activated client renews (slmgr /sri)',
    live: true,
    check: (n) => checkInterval('renewal', n),
  },
  {
    name: 'new-clients-per-address-per-hour',
    key: NEW_CLIENTS_SETTING,
    unit: 'clients',
    defaultValue: DEFAULT_NEW_CLIENTS_PER_ADDRESS_PER_HOUR,
    summary: 'machines never seen before that one address may bring per hour (0: no limit)',
    live: true,
    check: within(NEW_CLIENTS_BOUNDS.min, NEW_CLIENTS_BOUNDS.max, 'clients'),
  },
  {
    name: 'connections-per-address',
    key: RPC_LIMIT_SETTINGS.maxConnectionsPerAddress,
    unit: 'connections',
    defaultValue: DEFAULT_RPC_LIMITS.maxConnectionsPerAddress,
    summary: 'open connections one client address may hold (0: no limit but the global one)',
    live: false,
    check: within(0, 65_535, 'connections'),
  },
  {
    name: 'calls-per-address-per-second',
    key: RPC_LIMIT_SETTINGS.requestsPerAddressPerSecond,
    unit: 'calls',
    defaultValue: DEFAULT_RPC_LIMITS.requestsPerAddressPerSecond,
    summary: 'calls and faults per client address per second (0: no limit)',
    live: false,
    check: within(0, 1_000_000, 'calls'),
  },
  {
    name: 'request-log-max-age',
    key: RETENTION_SETTINGS.maxAgeDays,
    unit: 'days',
    defaultValue: DEFAULT_RETENTION.maxAgeDays,
    summary: 'request log entries older than this are removed',
    live: false,
    check: within(RETENTION_BOUNDS.maxAgeDays.min, RETENTION_BOUNDS.maxAgeDays.max, 'days'),
  },
  {
    name: 'request-log-max-rows',
    key: RETENTION_SETTINGS.maxRows,
    unit: 'rows',
    defaultValue: DEFAULT_RETENTION.maxRows,
    summary: 'the request log keeps at most this many entries',
    live: false,
    check: within(RETENTION_BOUNDS.maxRows.min, RETENTION_BOUNDS.maxRows.max, 'rows'),
  },
];

export interface HostSettingValue {
  name: string;
  value: number;
  isDefault: boolean;
  unit: string;
  summary: string;
  live: boolean;
  /** A stored value that is not valid (hand-edited, or from a damaged file): the host uses the default instead. */
  ignored?: string;
}

function specOf(name: string): HostSettingSpec {
  const spec = HOST_SETTINGS.find((s) => s.name === name);
  if (!spec) {
    throw new QuorumError(
      'SETTING_UNKNOWN',
      `There is no setting "${name}".`,
      `Settings: ${HOST_SETTINGS.map((s) => s.name).join(', ')}.`,
    );
  }
  return spec;
}

/** The listener limits stored as settings (each its default when unset or not valid). */
export function storedRpcLimits(store: Pick<ActivationStore, 'getSetting'>): Partial<RpcLimits> {
  const values = readHostSettings(store);
  const valueOf = (key: string) => values.find((v) => specOf(v.name).key === key)!.value;
  return {
    maxConnectionsPerAddress: valueOf(RPC_LIMIT_SETTINGS.maxConnectionsPerAddress),
    requestsPerAddressPerSecond: valueOf(RPC_LIMIT_SETTINGS.requestsPerAddressPerSecond),
  };
}

export function readHostSettings(store: Pick<ActivationStore, 'getSetting'>): HostSettingValue[] {
  return HOST_SETTINGS.map((spec) => {
    const stored = store.getSetting(spec.key);
    const n = stored !== undefined && /^\d+$/.test(stored.trim()) ? Number(stored) : Number.NaN;
    const valid = stored !== undefined && Number.isSafeInteger(n) && spec.check(n) === null;
    const value = valid ? n : spec.defaultValue;
    return {
      name: spec.name,
      value,
      isDefault: value === spec.defaultValue,
      unit: spec.unit,
      summary: spec.summary,
      live: spec.live,
      ...(stored !== undefined && !valid ? { ignored: stored } : {}),
    };
  });
}

/** Checks and stores `text` ("default" restores the default); returns the value stored. */
export function writeHostSetting(store: Pick<ActivationStore, 'setSetting'>, name: string, text: string): number {
  const spec = specOf(name);
  const value = text.trim() === 'default' ? spec.defaultValue : /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  const problem = Number.isSafeInteger(value) ? spec.check(value) : `"${text}" is not a whole number of ${spec.unit}.`;
  if (problem) throw new QuorumError('SETTING_INVALID', `${name}: ${problem}`, `The value stays as it was.`);
  store.setSetting(spec.key, String(value));
  return value;
}
