/**
 * The DNS publishing operations, one place for the CLI, the console service and the running host:
 * add a zone and publish, publish now, withdraw, list, and the host's periodic sync (publish on
 * start, every 24 hours, when the port or addresses change; withdraw when publishing is off or
 * the host key is gone). Each outcome is kept per zone and written to the DNS event log.
 */
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import type { DnsEvent } from '../store/types.js';
import { isDnsName, parseHostAddress } from './host-address.js';
import {
  DEFAULT_PRIORITY,
  DEFAULT_TTL_S,
  DEFAULT_WEIGHT,
  MAX_TTL_S,
  MIN_TTL_S,
  normaliseZone,
  publishingEnabled,
  readZones,
  readZoneState,
  removeZone,
  upsertZone,
  writeZoneState,
  type ZoneEntry,
  type ZoneResult,
  type ZoneState,
} from './publish-list.js';
import { publishPlan, sameRecords, srvNameOf, withdrawPlan, type PublishedRecords } from './publish-records.js';
import type { TsigKey } from './tsig.js';
import { deleteZoneKey, loadZoneKey, saveZoneKey } from './tsig-key-store.js';
import type { SecretSealer } from '../store/secret-file.js';
import { handRecords, type HandFormat } from './hand-records.js';
import { sendUpdate } from './update-client.js';

export const REFRESH_MS = 24 * 60 * 60 * 1000;
/** A failed publish is tried again after this long (and at once when something changes). */
export const RETRY_MS = 5 * 60 * 1000;

export interface DnsStore {
  getSetting(key: string): string | undefined;
  setSetting(key: string, value: string): void;
  recordDnsEvent(e: DnsEvent): void;
}

/** What the host is, as the records describe it. */
export interface HostFacts {
  /** The activation port clients connect to. */
  port: number;
  /** This machine's addresses, for zones whose entry says "auto". */
  addresses(): string[];
  /** Records are published only while a host key is installed. */
  hostKeyInstalled: boolean;
}

export interface DnsContext {
  dataDir: string;
  store: DnsStore;
  clock: Clock;
  timeoutMs?: number;
  /** How the TSIG keys are kept: owner-only files (default), or sealed with the OS keychain (the desktop app). */
  secrets?: SecretSealer;
  /** Told about every outcome (the console's events, the host's log). */
  onResult?: (zone: string, result: ZoneResult) => void;
}

/** The machine's own addresses: not loopback, not link-local. */
export function machineAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || a.address.startsWith('fe80:') || a.address.startsWith('169.254.')) continue;
      out.push(a.address);
    }
  }
  return out.sort();
}

export function defaultTarget(zone: string): string {
  const short = hostname().split('.')[0]!.toLowerCase();
  return `${isDnsName(short) ? short : 'quorum'}.${zone}`;
}

/** The records the entry asks for on this host. */
export function desiredRecords(entry: ZoneEntry, facts: HostFacts): PublishedRecords {
  const target = (entry.target || defaultTarget(entry.zone)).replace(/\.$/, '').toLowerCase();
  const addresses = entry.addresses === 'auto' ? facts.addresses() : entry.addresses;
  return {
    srvName: srvNameOf(entry.zone),
    priority: entry.priority,
    weight: entry.weight,
    port: facts.port,
    target,
    ttl: entry.ttl,
    addresses: [...new Set(addresses)].sort(),
  };
}

function record(ctx: DnsContext, zone: string, state: ZoneState, result: ZoneResult): ZoneResult {
  writeZoneState(ctx.store, zone, { ...state, last: result });
  ctx.store.recordDnsEvent({
    at: result.at,
    domain: zone,
    action: result.action,
    ok: result.ok,
    message: result.ok ? result.message : `${result.message} ${result.hint ?? ''}`.trim(),
  });
  ctx.onResult?.(zone, result);
  return result;
}

function failure(at: number, action: ZoneResult['action'], e: unknown): ZoneResult {
  const info =
    e instanceof QuorumError ? e.toJSON() : { code: 'DNS_FAILED', message: e instanceof Error ? e.message : String(e) };
  return { at, action, ok: false, ...info };
}

function describe(r: PublishedRecords): string {
  const addresses = r.addresses.length ? ` and ${r.target} ${r.addresses.join(', ')}` : '';
  return `${r.srvName} SRV ${r.priority} ${r.weight} ${r.port} ${r.target} (TTL ${r.ttl} s)${addresses}`;
}

/** Publishes the entry's records now, replacing exactly what this host published before. */
export async function publishZone(ctx: DnsContext, entry: ZoneEntry, facts: HostFacts): Promise<ZoneResult> {
  const state = readZoneState(ctx.store, entry.zone);
  const at = ctx.clock.now();
  try {
    const next = desiredRecords(entry, facts);
    const key = await loadZoneKey(ctx.dataDir, entry.zone, ctx.secrets);
    await send(ctx, entry, key, publishPlan(state.published, next));
    const done: ZoneState = { published: next, last: null, publishedAt: at };
    return record(ctx, entry.zone, done, { at, action: 'publish', ok: true, message: `Published ${describe(next)}.` });
  } catch (e) {
    return record(ctx, entry.zone, state, failure(at, 'publish', e));
  }
}

async function send(
  ctx: DnsContext,
  entry: ZoneEntry,
  key: TsigKey,
  plan: ReturnType<typeof publishPlan>,
): Promise<void> {
  await sendUpdate({
    server: parseHostAddress(entry.server, 53, '--server'),
    zone: entry.zone,
    key,
    ...plan,
    timeoutMs: ctx.timeoutMs,
    nowS: () => Math.floor(ctx.clock.now() / 1000),
  });
}

/**
 * Deletes exactly what this host published in the zone (nothing when it published nothing), with
 * the stored key or `key` (a key file given to `quorum dns withdraw`, where the stored one is sealed).
 */
export async function withdrawRecords(ctx: DnsContext, entry: ZoneEntry, key?: TsigKey): Promise<ZoneResult> {
  const state = readZoneState(ctx.store, entry.zone);
  const at = ctx.clock.now();
  if (!state.published) {
    return record(ctx, entry.zone, state, {
      at,
      action: 'withdraw',
      ok: true,
      message: `Nothing to withdraw from ${entry.zone}: this host has no records there.`,
    });
  }
  try {
    await send(
      ctx,
      entry,
      key ?? (await loadZoneKey(ctx.dataDir, entry.zone, ctx.secrets)),
      withdrawPlan(state.published),
    );
    const message = `Withdrew ${describe(state.published)}.`;
    return record(
      ctx,
      entry.zone,
      { published: null, last: null, publishedAt: null },
      {
        at,
        action: 'withdraw',
        ok: true,
        message,
      },
    );
  } catch (e) {
    return record(ctx, entry.zone, state, failure(at, 'withdraw', e));
  }
}

export interface AddZoneInput {
  zone: string;
  server: string;
  key: TsigKey;
  priority?: number;
  weight?: number;
  ttl?: number;
  target?: string;
  addresses?: 'auto' | string[];
}

function checkRange(name: string, value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QuorumError(
      'DNS_SETTING_INVALID',
      `--${name} must be a whole number from ${min} to ${max}; got ${value}.`,
    );
  }
  return value;
}

/** Checks the input, stores the key and the entry (publishing it needs the host's facts). */
export async function addZone(ctx: DnsContext, input: AddZoneInput): Promise<ZoneEntry> {
  const zone = normaliseZone(input.zone);
  parseHostAddress(input.server, 53, '--server');
  const target = (input.target ?? '').trim().replace(/\.$/, '').toLowerCase();
  if (target !== '' && (!isDnsName(target) || target.startsWith('_'))) {
    throw new QuorumError(
      'DNS_SETTING_INVALID',
      `--target "${input.target}" is not a host name.`,
      'e.g. --target quorum1.office.example',
    );
  }
  const addresses = input.addresses ?? [];
  if (addresses !== 'auto') {
    for (const a of addresses) {
      if (isIP(a) === 0) {
        throw new QuorumError(
          'DNS_SETTING_INVALID',
          `--address "${a}" is not an IP address.`,
          'Give IPv4 or IPv6 addresses, or --address auto.',
        );
      }
    }
  }
  const entry: ZoneEntry = {
    zone,
    server: input.server.trim(),
    keyName: input.key.name,
    priority: checkRange('priority', input.priority, 0, 65535, DEFAULT_PRIORITY),
    weight: checkRange('weight', input.weight, 0, 65535, DEFAULT_WEIGHT),
    ttl: checkRange('ttl', input.ttl, MIN_TTL_S, MAX_TTL_S, DEFAULT_TTL_S),
    target,
    addresses,
  };
  await saveZoneKey(ctx.dataDir, zone, input.key, ctx.secrets);
  upsertZone(ctx.store, entry);
  return entry;
}

/**
 * Adds the zone, or replaces its settings, and publishes it with them when `facts` are given (null:
 * publishing is off, or there is no host key). A zone whose records are published keeps its
 * previous settings and key when publishing with the new ones fails: those still name the server
 * that holds its records, so the host's refresh and `quorum dns withdraw` keep working.
 */
export async function addAndPublishZone(
  ctx: DnsContext,
  input: AddZoneInput,
  facts: HostFacts | null,
): Promise<{ entry: ZoneEntry; result: ZoneResult | null }> {
  const previous = readZones(ctx.store).find((z) => z.zone === normaliseZone(input.zone));
  const published = previous !== undefined && readZoneState(ctx.store, previous.zone).published !== null;
  const previousKey = published ? await loadZoneKey(ctx.dataDir, previous.zone, ctx.secrets).catch(() => null) : null;
  const entry = await addZone(ctx, input);
  if (!facts) return { entry, result: null };
  const result = await publishZone(ctx, entry, facts);
  if (result.ok || !previous || !previousKey) return { entry, result };
  upsertZone(ctx.store, previous);
  await saveZoneKey(ctx.dataDir, previous.zone, previousKey, ctx.secrets);
  const kept = `${previous.zone} keeps its previous settings (server ${previous.server}), where its records are.`;
  return { entry: previous, result: { ...result, hint: `${result.hint ? `${result.hint} ` : ''}${kept}` } };
}

export function findZone(ctx: DnsContext, zone: string): ZoneEntry {
  const name = normaliseZone(zone);
  const entry = readZones(ctx.store).find((z) => z.zone === name);
  if (!entry) {
    throw new QuorumError(
      'DNS_ZONE_UNKNOWN',
      `${name} is not in this host's publish list.`,
      'See the list with quorum dns list; add a zone with quorum dns publish --zone ZONE --server ADDR --tsig-key FILE.',
    );
  }
  return entry;
}

/** Withdraws the zone's records and takes the zone (and its key) off the list; a failed withdrawal keeps both. */
export async function forgetZone(ctx: DnsContext, zone: string, key?: TsigKey): Promise<ZoneResult> {
  const entry = findZone(ctx, zone);
  const result = await withdrawRecords(ctx, entry, key);
  if (result.ok) {
    removeZone(ctx.store, entry.zone);
    deleteZoneKey(ctx.dataDir, entry.zone);
  }
  return result;
}

export interface ZoneView {
  entry: ZoneEntry;
  state: ZoneState;
}

export function listZones(ctx: Pick<DnsContext, 'store'>): { publishing: boolean; zones: ZoneView[] } {
  return {
    publishing: publishingEnabled(ctx.store),
    zones: readZones(ctx.store).map((entry) => ({ entry, state: readZoneState(ctx.store, entry.zone) })),
  };
}

/**
 * Whether the last failure is recent enough to wait out RETRY_MS. A key the CLI found sealed
 * (DNS_KEY_SEALED) is no reason to wait where the keychain is at hand: the desktop app does at its
 * next sync what the CLI could not.
 */
function recentFailure(ctx: DnsContext, state: ZoneState, now: number, retryMs = RETRY_MS): boolean {
  if (state.last === null || state.last.ok || now - state.last.at >= retryMs) return false;
  return !(state.last.code === 'DNS_KEY_SEALED' && ctx.secrets?.kind === 'os');
}

/**
 * What the running host does on start and then periodically: brings every zone to what it should
 * hold. Publishes where the records differ from what was published, where the last publish is
 * older than 24 hours, or where it failed more than RETRY_MS ago; withdraws where publishing is
 * off or no host key is installed. Returns the outcomes of what it did.
 */
export async function syncZones(
  ctx: DnsContext,
  facts: HostFacts,
  options: { refreshMs?: number; retryMs?: number } = {},
): Promise<ZoneResult[]> {
  const now = ctx.clock.now();
  const wanted = publishingEnabled(ctx.store) && facts.hostKeyInstalled;
  const results: ZoneResult[] = [];
  for (const entry of readZones(ctx.store)) {
    const state = readZoneState(ctx.store, entry.zone);
    if (!wanted) {
      if (state.published && !recentFailure(ctx, state, now, options.retryMs)) {
        results.push(await withdrawRecords(ctx, entry));
      }
      continue;
    }
    const next = desiredRecords(entry, facts);
    const failedRecently = recentFailure(ctx, state, now, options.retryMs);
    const stale = state.publishedAt === null || now - state.publishedAt >= (options.refreshMs ?? REFRESH_MS);
    const changed = !sameRecords(state.published, next);
    if ((changed || stale) && !failedRecently) {
      results.push(await publishZone(ctx, entry, facts));
    }
  }
  return results;
}

/**
 * The records to enter by hand for `zone` (a zone off the list gets the defaults and this
 * machine's addresses), or for every zone of the list.
 */
export function handRecordsFor(
  store: Pick<DnsStore, 'getSetting'>,
  facts: HostFacts,
  zone: string | undefined,
  format: HandFormat,
): { zone: string; text: string }[] {
  const zones = readZones(store);
  const wanted = zone === undefined ? null : normaliseZone(zone);
  const entries: ZoneEntry[] = wanted
    ? [
        zones.find((z) => z.zone === wanted) ?? {
          zone: wanted,
          server: '',
          keyName: '',
          priority: DEFAULT_PRIORITY,
          weight: DEFAULT_WEIGHT,
          ttl: DEFAULT_TTL_S,
          target: '',
          addresses: 'auto',
        },
      ]
    : zones;
  return entries.map((e) => ({ zone: e.zone, text: handRecords(e.zone, desiredRecords(e, facts), format) }));
}
