/**
 * Every host setting as one list, read and changed the same way by `quorum settings` and by the
 * console service: the numeric ones of host-settings.ts (intervals, request-log retention) and the
 * network ones of network-settings.ts (port, addresses, allowed ranges, site token).
 */
import { QuorumError } from '../../shared/domain/errors.js';
import { SETTING_NAMES, type SettingName, type SettingView } from '../../shared/ipc/settings-channels.js';
import { QAP_DEFAULT_PORT } from '../../shared/protocol/qap-types.js';
import type { ActivationStore } from '../store/types.js';
import { HOST_SETTINGS, readHostSettings, writeHostSetting } from './host-settings.js';
import {
  NETWORK_SETTING_KEYS,
  checkAddresses,
  checkPort,
  checkRanges,
  readNetworkSettings,
  removeSiteToken,
  rotateSiteToken,
  writeNetworkList,
} from './network-settings.js';

export interface SettingsTarget {
  store: Pick<ActivationStore, 'getSetting' | 'setSetting'>;
  dataDir: string;
}

export const NETWORK_SETTING_HELP: readonly { name: SettingName; unit: string; summary: string; range: string }[] = [
  {
    name: 'allowed-ranges',
    unit: 'CIDR',
    summary: 'only clients from these address ranges may activate',
    range: 'ranges such as 192.168.1.0/24 or fd00::/8, separated by commas; "any" (the default) admits every address',
  },
  {
    name: 'site-token',
    unit: '',
    summary: 'requests must carry an HMAC with the site token ("rotate" or "off")',
    range: 'rotate (a new token) or off; default: off',
  },
  {
    name: 'port',
    unit: 'port',
    summary: 'the TCP port clients send activation requests to',
    range: `1 to 65535; default ${QAP_DEFAULT_PORT}`,
  },
  {
    name: 'listen-addresses',
    unit: 'IP',
    summary: 'the addresses of this machine the host listens on',
    range: 'IP addresses, separated by commas; "all" (the default) listens on every address',
  },
];

function listText(items: string[], empty: string): string {
  return items.length === 0 ? empty : items.join(', ');
}

export function readSettings(t: SettingsTarget): SettingView[] {
  const numeric: SettingView[] = readHostSettings(t.store).map((s) => {
    const spec = HOST_SETTINGS.find((h) => h.name === s.name)!;
    return {
      name: s.name as SettingName,
      value: s.value,
      text: String(s.value),
      isDefault: s.isDefault,
      unit: s.unit,
      summary: s.summary,
      range: `${spec.range}; default ${spec.defaultValue}`,
      applies: s.live ? 'at-once' : 'next-start',
      ...(s.ignored !== undefined ? { ignored: s.ignored } : {}),
    };
  });
  const n = readNetworkSettings(t.store, t.dataDir);
  const help = (name: SettingName) => NETWORK_SETTING_HELP.find((h) => h.name === name)!;
  const ignored = (name: keyof typeof n.ignored) => (n.ignored[name] !== undefined ? { ignored: n.ignored[name] } : {});
  const ranges = n.allowedRanges ?? [];
  const addresses = n.addresses ?? [];
  const port = n.port ?? QAP_DEFAULT_PORT;
  const network: SettingView[] = [
    {
      ...help('allowed-ranges'),
      value: ranges,
      text: listText(ranges, 'any'),
      isDefault: ranges.length === 0,
      applies: 'at-once',
      ...ignored('allowed-ranges'),
    },
    {
      ...help('site-token'),
      value: n.siteToken !== undefined,
      text: n.siteToken !== undefined ? 'on' : 'off',
      isDefault: n.siteToken === undefined,
      applies: 'at-once',
    },
    {
      ...help('port'),
      value: port,
      text: String(port),
      isDefault: port === QAP_DEFAULT_PORT,
      applies: 'listener-restart',
      ...ignored('port'),
    },
    {
      ...help('listen-addresses'),
      value: addresses,
      text: listText(addresses, 'all'),
      isDefault: addresses.length === 0,
      applies: 'listener-restart',
      ...ignored('listen-addresses'),
    },
  ];
  const all = [...numeric, ...network];
  return SETTING_NAMES.map((name) => all.find((s) => s.name === name)!);
}

/** A checked change, not yet stored: the service applies listener changes first and stores only what worked. */
export type SettingChange =
  | { name: (typeof HOST_SETTINGS)[number]['name'] & SettingName; kind: 'numeric'; text: string }
  | { name: 'port'; kind: 'port'; port: number }
  | { name: 'listen-addresses'; kind: 'addresses'; addresses: string[] }
  | { name: 'allowed-ranges'; kind: 'ranges'; ranges: string[] }
  | { name: 'site-token'; kind: 'site-token'; action: 'rotate' | 'off' };

export function unknownSetting(name: string): QuorumError {
  return new QuorumError('SETTING_UNKNOWN', `There is no setting "${name}".`, `Settings: ${SETTING_NAMES.join(', ')}.`);
}

/** Checks `text` for setting `name`; throws SETTING_INVALID (or SETTING_UNKNOWN) with what is wrong. */
export function checkSettingChange(name: string, text: string): SettingChange {
  switch (name) {
    case 'port':
      return { name, kind: 'port', port: checkPort(text) };
    case 'listen-addresses':
      return { name, kind: 'addresses', addresses: text.trim() === 'default' ? [] : checkAddresses(text) };
    case 'allowed-ranges':
      return { name, kind: 'ranges', ranges: text.trim() === 'default' ? [] : checkRanges(text) };
    case 'site-token': {
      const action = text.trim().toLowerCase();
      if (action === 'rotate' || action === 'off' || action === 'default') {
        return { name, kind: 'site-token', action: action === 'rotate' ? 'rotate' : 'off' };
      }
      throw new QuorumError(
        'SETTING_INVALID',
        `site-token: "${text}" is neither "rotate" nor "off".`,
        'rotate makes a new token (clients need it; the old one stops working); off admits requests without one.',
      );
    }
    default: {
      const spec = HOST_SETTINGS.find((s) => s.name === name);
      if (!spec) throw unknownSetting(name);
      // Checked against a scratch store so nothing is written before the caller decides to.
      writeHostSetting({ setSetting: () => undefined }, name, text);
      return { name: spec.name as SettingChange['name'] & 'activation-interval', kind: 'numeric', text };
    }
  }
}

/** Stores a checked change; returns the site token when one was made. */
export function storeSettingChange(t: SettingsTarget, change: SettingChange): { siteToken?: string } {
  switch (change.kind) {
    case 'numeric':
      writeHostSetting(t.store, change.name, change.text);
      return {};
    case 'port':
      t.store.setSetting(NETWORK_SETTING_KEYS.port, String(change.port));
      return {};
    case 'addresses':
      writeNetworkList(t.store, NETWORK_SETTING_KEYS.addresses, change.addresses);
      return {};
    case 'ranges':
      writeNetworkList(t.store, NETWORK_SETTING_KEYS.allowedRanges, change.ranges);
      return {};
    case 'site-token':
      if (change.action === 'off') {
        removeSiteToken(t.dataDir);
        return {};
      }
      return { siteToken: rotateSiteToken(t.dataDir) };
  }
}

/** `quorum settings set NAME VALUE` without a running host to tell: checks, stores, returns the setting. */
export function changeSetting(t: SettingsTarget, name: string, text: string): SettingView {
  storeSettingChange(t, checkSettingChange(name, text));
  return readSettings(t).find((s) => s.name === name)!;
}
