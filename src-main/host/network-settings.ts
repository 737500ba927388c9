/**
 * The host's network settings: the activation port and listening addresses, the address ranges
 * clients may activate from, and the site token. Stored in the data directory (the token in its own
 * owner-only file, since clients are given it) so `quorum serve` and the desktop app start with
 * them; flags given to `quorum serve` win over them for that run.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';
import { QAP_DEFAULT_PORT } from '../../shared/protocol/qap-types.js';
import { normalizeAddress } from '../../shared/domain/address.js';
import type { ActivationStore } from '../store/types.js';
import { parseRanges } from './admission.js';
import { sqliteOptions } from '../store/sqlite-binding.js';

export const NETWORK_SETTING_KEYS = {
  port: 'listen.port',
  addresses: 'listen.addresses',
  allowedRanges: 'admission.allowedRanges',
} as const;
export const SITE_TOKEN_FILE = 'site-token';
export const MAX_LIST_ENTRIES = 64;

type SettingsStore = Pick<ActivationStore, 'getSetting' | 'setSetting'>;

/** Splits a typed list on commas, spaces and new lines; "all", "any" or nothing mean an empty list. */
export function splitList(text: string): string[] {
  const items = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return items.length === 1 && /^(all|any|none|default)$/i.test(items[0]!) ? [] : items;
}

function invalid(name: string, message: string, hint: string): QuorumError {
  return new QuorumError('SETTING_INVALID', `${name}: ${message}`, hint);
}

export function checkPort(text: string): number {
  const t = text.trim();
  if (t === 'default') return QAP_DEFAULT_PORT;
  const n = /^\d{1,5}$/.test(t) ? Number(t) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw invalid(
      'port',
      `It must be a whole number from 1 to 65535; got "${text}".`,
      `The default is ${QAP_DEFAULT_PORT}; clients that find the host by DNS learn the port from its SRV record.`,
    );
  }
  return n;
}

/** Listening addresses: IP literals of this machine; an empty list means every address. */
export function checkAddresses(text: string): string[] {
  const items = splitList(text).map((a) => normalizeAddress(a.replace(/^\[(.*)\]$/, '$1')));
  if (items.length > 16) throw invalid('listen-addresses', `At most 16 addresses; got ${items.length}.`, '');
  for (const a of items) {
    if (isIP(a) === 0) {
      throw invalid(
        'listen-addresses',
        `"${a}" is not an IP address.`,
        'Give addresses of this machine, e.g. 192.168.1.10 or ::1, separated by commas; "all" listens on every address.',
      );
    }
  }
  return [...new Set(items)];
}

/** Allowed client ranges in CIDR; an empty list admits every address. */
export function checkRanges(text: string): string[] {
  const items = splitList(text);
  if (items.length > MAX_LIST_ENTRIES) {
    throw invalid('allowed-ranges', `At most ${MAX_LIST_ENTRIES} ranges; got ${items.length}.`, '');
  }
  try {
    parseRanges(items);
  } catch (e) {
    if (e instanceof QuorumError) throw invalid('allowed-ranges', e.message, e.hint ?? '');
    throw e;
  }
  return [...new Set(items)];
}

function storedList(store: SettingsStore, key: string, check: (text: string) => string[]): string[] | undefined {
  const text = store.getSetting(key);
  if (text === undefined) return undefined;
  try {
    return check(text);
  } catch {
    return undefined;
  }
}

export interface NetworkSettings {
  /** Undefined: not set (the default, or the `quorum serve` flags). */
  port: number | undefined;
  addresses: string[] | undefined;
  allowedRanges: string[] | undefined;
  siteToken: string | undefined;
  /** Stored values that are not valid, by setting name. */
  ignored: Partial<Record<'port' | 'listen-addresses' | 'allowed-ranges', string>>;
}

export function readNetworkSettings(store: SettingsStore, dataDir: string): NetworkSettings {
  const ignored: NetworkSettings['ignored'] = {};
  const portText = store.getSetting(NETWORK_SETTING_KEYS.port);
  let port: number | undefined;
  if (portText !== undefined) {
    try {
      port = checkPort(portText);
    } catch {
      ignored.port = portText;
    }
  }
  const addresses = storedList(store, NETWORK_SETTING_KEYS.addresses, checkAddresses);
  const addressText = store.getSetting(NETWORK_SETTING_KEYS.addresses);
  if (addressText !== undefined && addresses === undefined) ignored['listen-addresses'] = addressText;
  const allowedRanges = storedList(store, NETWORK_SETTING_KEYS.allowedRanges, checkRanges);
  const rangeText = store.getSetting(NETWORK_SETTING_KEYS.allowedRanges);
  if (rangeText !== undefined && allowedRanges === undefined) ignored['allowed-ranges'] = rangeText;
  return { port, addresses, allowedRanges, siteToken: readSiteToken(dataDir), ignored };
}

export function writeNetworkList(store: SettingsStore, key: string, items: string[]): void {
  store.setSetting(key, items.join(','));
}

export function siteTokenPath(dataDir: string): string {
  return join(dataDir, SITE_TOKEN_FILE);
}

export function readSiteToken(dataDir: string): string | undefined {
  const file = siteTokenPath(dataDir);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  return text.length > 0 ? text : undefined;
}

/** A new random site token, written owner-only; the old one stops admitting clients. */
export function rotateSiteToken(dataDir: string): string {
  const token = randomBytes(24).toString('base64url');
  const file = siteTokenPath(dataDir);
  // Written beside and renamed over, so a crash leaves the old token or the new one, never half.
  writeFileSync(`${file}.new`, `${token}\n`, { mode: 0o600 });
  renameSync(`${file}.new`, file);
  return token;
}

export function removeSiteToken(dataDir: string): void {
  rmSync(siteTokenPath(dataDir), { force: true });
}

/**
 * The stored network settings, read before the host opens its store (they decide where it
 * listens). A directory without a database has none; a database that cannot be read here is
 * reported by the store when the host opens it, so this falls back to none.
 */
export function readStoredNetworkSettings(dataDir: string): NetworkSettings {
  const none: NetworkSettings = {
    port: undefined,
    addresses: undefined,
    allowedRanges: undefined,
    siteToken: readSiteToken(dataDir),
    ignored: {},
  };
  const file = join(dataDir, 'quorum.db');
  if (!existsSync(file)) return none;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...sqliteOptions() });
    db.pragma('busy_timeout = 5000');
    const get = db.prepare('SELECT value FROM settings WHERE key = ?');
    const store = {
      getSetting: (key: string) => (get.get(key) as { value: string } | undefined)?.value,
      setSetting: () => undefined,
    };
    return readNetworkSettings(store, dataDir);
  } catch {
    return none;
  } finally {
    db?.close();
  }
}

/** The stored admission, in the form the host takes it. */
export function storedAdmission(s: NetworkSettings): { siteToken?: string; allowedRanges?: string[] } {
  return {
    ...(s.siteToken ? { siteToken: s.siteToken } : {}),
    ...(s.allowedRanges?.length ? { allowedRanges: s.allowedRanges } : {}),
  };
}
