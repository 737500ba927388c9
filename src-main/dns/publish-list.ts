/**
 * The publish list (the counterpart of KMS's DnsDomainPublishList): the zones this host publishes
 * its SRV record in, each with its DNS server, TSIG key and SRV priority/weight/TTL, plus the
 * on/off switch and, per zone, the last result and exactly what this host published. All of it
 * lives in the host's settings table; a damaged value is reported, never guessed at. TSIG secrets
 * are files of their own (tsig-key-store.ts).
 */
import { z } from 'zod';
import { QuorumError } from '../../shared/domain/errors.js';
import type { ActivationStore } from '../store/types.js';
import { isDnsName } from './host-address.js';
import type { PublishedRecords } from './publish-records.js';

export const DEFAULT_PRIORITY = 0;
export const DEFAULT_WEIGHT = 100;
export const DEFAULT_TTL_S = 900;
export const MIN_TTL_S = 30;
export const MAX_TTL_S = 86_400;

const ZONES_KEY = 'dns.zones';
const PUBLISHING_KEY = 'dns.publishing';
const stateKey = (zone: string) => `dns.state.${zone}`;
/** The activation port the running host last listened on; the CLI publishes that port. */
export const HOST_PORT_KEY = 'dns.host-port';

const zoneEntrySchema = z
  .object({
    zone: z.string().refine(isDnsName),
    /** "ADDR[:PORT]" of the zone's primary server. */
    server: z.string().min(1).max(300),
    keyName: z.string().min(1).max(255),
    priority: z.number().int().min(0).max(65535),
    weight: z.number().int().min(0).max(65535),
    ttl: z.number().int().min(MIN_TTL_S).max(MAX_TTL_S),
    /** The SRV target; "" means "<this machine's short name>.<zone>". */
    target: z.string().max(253),
    /** Address records to publish for the target: IPs, "auto" (this machine's addresses), or none. */
    addresses: z.union([z.literal('auto'), z.array(z.string().max(64)).max(16)]),
  })
  .strict();
export type ZoneEntry = z.infer<typeof zoneEntrySchema>;

const publishedSchema = z
  .object({
    srvName: z.string(),
    priority: z.number().int(),
    weight: z.number().int(),
    port: z.number().int(),
    target: z.string(),
    ttl: z.number().int(),
    addresses: z.array(z.string()),
  })
  .strict();

const resultSchema = z
  .object({
    at: z.number(),
    action: z.enum(['publish', 'withdraw']),
    ok: z.boolean(),
    message: z.string(),
    code: z.string().optional(),
    hint: z.string().optional(),
  })
  .strict();
export type ZoneResult = z.infer<typeof resultSchema>;

const stateSchema = z
  .object({
    /** What this host put in the zone, as far as it knows; null when nothing. */
    published: publishedSchema.nullable(),
    last: resultSchema.nullable(),
    /** When the records were last written successfully (the 24 h refresh counts from here). */
    publishedAt: z.number().nullable(),
  })
  .strict();
export type ZoneState = z.infer<typeof stateSchema>;

const EMPTY_STATE: ZoneState = { published: null, last: null, publishedAt: null };

type Settings = Pick<ActivationStore, 'getSetting' | 'setSetting'>;

function damaged(what: string, key: string): QuorumError {
  return new QuorumError(
    'DNS_SETTINGS_DAMAGED',
    `The stored ${what} (setting "${key}") is damaged and cannot be read.`,
    'Add the zones again with quorum dns publish; records published before stay in DNS until withdrawn by hand.',
  );
}

function readJson<T>(
  store: Pick<Settings, 'getSetting'>,
  key: string,
  schema: z.ZodType<T>,
  what: string,
): T | undefined {
  const text = store.getSetting(key);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged(what, key);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damaged(what, key);
  return parsed.data;
}

export function normaliseZone(zone: string): string {
  const z2 = zone.trim().replace(/\.$/, '').toLowerCase();
  if (z2.split('.').some((label) => label === '_vlmcs')) {
    throw new QuorumError(
      'DNS_ZONE_INVALID',
      `"${zone}" names Microsoft KMS's service (_vlmcs), which Quorum never uses.`,
      'Give the zone itself, e.g. --zone office.example; Quorum publishes _quorum._tcp there.',
    );
  }
  if (!isDnsName(z2) || !z2.includes('.')) {
    throw new QuorumError(
      'DNS_ZONE_INVALID',
      `"${zone}" is not a DNS zone name.`,
      'Give the zone as named.conf spells it, e.g. --zone office.example.',
    );
  }
  return z2;
}

export function readZones(store: Pick<Settings, 'getSetting'>): ZoneEntry[] {
  return readJson(store, ZONES_KEY, z.array(zoneEntrySchema), 'DNS publish list') ?? [];
}

export function writeZones(store: Settings, zones: ZoneEntry[]): void {
  store.setSetting(ZONES_KEY, JSON.stringify(zones));
}

/** Adds or replaces the zone's entry. */
export function upsertZone(store: Settings, entry: ZoneEntry): void {
  const zones = readZones(store).filter((z2) => z2.zone !== entry.zone);
  writeZones(
    store,
    [...zones, entry].sort((a, b) => a.zone.localeCompare(b.zone)),
  );
}

export function removeZone(store: Settings, zone: string): void {
  writeZones(
    store,
    readZones(store).filter((z2) => z2.zone !== zone),
  );
  store.setSetting(stateKey(zone), JSON.stringify(EMPTY_STATE));
}

export function publishingEnabled(store: Settings): boolean {
  return store.getSetting(PUBLISHING_KEY) !== 'off';
}

export function setPublishing(store: Settings, on: boolean): void {
  store.setSetting(PUBLISHING_KEY, on ? 'on' : 'off');
}

export function readZoneState(store: Settings, zone: string): ZoneState {
  try {
    return readJson(store, stateKey(zone), stateSchema, `DNS state of ${zone}`) ?? EMPTY_STATE;
  } catch {
    // A damaged state only loses "what we published": the next publish adds records again.
    return EMPTY_STATE;
  }
}

export function writeZoneState(store: Settings, zone: string, state: ZoneState): void {
  store.setSetting(stateKey(zone), JSON.stringify(state));
}

export type { PublishedRecords };
