/**
 * The running host's side of DNS publishing: a sync at start, then one every `intervalMs` that
 * publishes only what changed (a new port or address, a zone added from the CLI), what is due
 * for its 24-hour refresh, or what must be withdrawn. One sync at a time; close() waits for it.
 */
import type { Clock } from '../../shared/domain/clock.js';
import { HOST_PORT_KEY, type ZoneResult } from './publish-list.js';
import { machineAddresses, syncZones, type DnsContext, type DnsStore, type HostFacts } from './dns-publisher.js';
import type { SecretSealer } from '../store/secret-file.js';
import { sealZoneKeys } from './tsig-key-store.js';

export const DNS_SYNC_MS = 30_000;

export interface DnsSyncOptions {
  dataDir: string;
  store: DnsStore;
  clock: Clock;
  log: (line: string) => void;
  port: () => number;
  hostKeyInstalled: () => boolean;
  addresses?: () => string[];
  intervalMs?: number;
  timeoutMs?: number;
  /** How the TSIG keys are kept (DnsContext.secrets); with the OS keychain, plain ones are sealed at start. */
  secrets?: SecretSealer;
}

export interface DnsSync {
  /** Every publish or withdrawal outcome, from the loop or from syncNow. */
  onResult(listener: (zone: string, result: ZoneResult) => void): () => void;
  /** Runs a sync now (after the one running, if any). */
  syncNow(): Promise<ZoneResult[]>;
  /**
   * Runs `operation` when no sync or other operation is running, and holds them off until it is
   * done: two updates of one zone at once (a console's publish and the loop's) would each find
   * the other's records against their prerequisites and report a conflict that is not one.
   */
  exclusive<T>(operation: () => Promise<T>): Promise<T>;
  facts(): HostFacts;
  /** The context the console's operations use, so their outcomes reach the same listeners. */
  context(): DnsContext;
  close(): Promise<void>;
}

/** Keys the CLI or an older build left as plain files, sealed before the first sync uses them. */
async function sealPlainKeys(options: DnsSyncOptions): Promise<ZoneResult[]> {
  if (options.secrets?.kind !== 'os') return [];
  try {
    const zones = await sealZoneKeys(options.dataDir, options.secrets);
    if (zones.length > 0) options.log(`DNS: sealed the TSIG keys of ${zones.join(', ')} with ${options.secrets.label}`);
  } catch (e) {
    // They stay owner-only files, which every sync can still read.
    options.log(
      `DNS: could not seal the TSIG keys with ${options.secrets.label}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return [];
}

export function startDnsSync(options: DnsSyncOptions): DnsSync {
  const listeners = new Set<(zone: string, result: ZoneResult) => void>();
  const facts = (): HostFacts => ({
    port: options.port(),
    addresses: options.addresses ?? machineAddresses,
    hostKeyInstalled: options.hostKeyInstalled(),
  });
  const ctx: DnsContext = {
    dataDir: options.dataDir,
    store: options.store,
    clock: options.clock,
    timeoutMs: options.timeoutMs,
    secrets: options.secrets,
    onResult: (zone: string, result: ZoneResult) => {
      options.log(`DNS ${result.action} ${zone}: ${result.ok ? result.message : `${result.message} (${result.code})`}`);
      for (const l of listeners) l(zone, result);
    },
  };
  let closed = false;
  // Every publish, withdrawal and sync runs on this one chain, in turn.
  let queue: Promise<unknown> = sealPlainKeys(options);
  const exclusive = <T>(operation: () => Promise<T>): Promise<T> => {
    const done = queue.then(operation);
    queue = done.catch(() => undefined);
    return done;
  };
  const syncNow = (): Promise<ZoneResult[]> =>
    exclusive(async () => {
      if (closed) return [];
      try {
        const port = String(options.port());
        if (options.store.getSetting(HOST_PORT_KEY) !== port) options.store.setSetting(HOST_PORT_KEY, port);
        return await syncZones(ctx, facts());
      } catch (e) {
        options.log(`DNS publishing skipped: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    });
  void syncNow();
  const timer = setInterval(() => void syncNow(), options.intervalMs ?? DNS_SYNC_MS);
  timer.unref();
  return {
    onResult: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    syncNow,
    exclusive,
    facts,
    context: () => ctx,
    close: async () => {
      clearInterval(timer);
      closed = true;
      await queue;
    },
  };
}
