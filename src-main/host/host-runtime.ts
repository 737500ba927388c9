/**
 * One running host: the data directory's store, the engine restored from it, the host identity,
 * the key gate, and the activation listener. Used by `quorum serve`, the Electron main process,
 * the tests and the benchmark alike.
 */
import { ProductCatalog } from '../../shared/domain/products.js';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { ensureDataDir } from '../store/data-dir.js';
import { Engine } from '../engine/engine.js';
import { intervalsFromSettings } from '../engine/settings.js';
import type { ActivationRecord } from '../store/types.js';
import { checkPath, databasePath, openStore } from '../store/open-store.js';
import { ConsoleReader } from '../store/console-reader.js';
import { coveredProducts, servingState } from '../authority/serving-state.js';
import {
  describeAddresses,
  startRpcListener,
  type RpcLimits,
  type RpcListener,
  type RpcStats,
} from '../rpc/listener.js';
import { createActivationHandler } from './activation-handler.js';
import { loadOrCreateHostIdentity, type HostIdentity } from './identity.js';
import { createAdmission, describeAdmission, type Admission } from './admission.js';
import { readNetworkSettings, storedAdmission } from './network-settings.js';
import { createNewClientGuard } from './new-client-guard.js';
import { readHostSettings, storedRpcLimits } from './host-settings.js';
import { acquireHostLock } from './host-lock.js';
import type { EngineChange, ServingGate } from '../engine/types.js';
import { FaultGuard } from './fault-guard.js';
import { directoryExposure, makeDirectoryFilesPrivate } from '../store/private-files.js';
import type { SecretSealer } from '../store/secret-file.js';
import { HostKeyRepository } from '../authority/index.js';
import { startDnsSync, type DnsSync } from '../dns/dns-sync-loop.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface HostOptions {
  dataDir: string;
  listen: ListenAddress[];
  clock?: Clock;
  limits?: Partial<RpcLimits>;
  log?: (line: string) => void;
  /** Optional client admission: a site token and/or allowed address ranges (docs/protocol.md, "Admission"). */
  admission?: { siteToken?: string; allowedRanges?: string[] };
  /**
   * The admission is the stored one (no flag set it for this run): re-read it at each housekeeping,
   * so `quorum settings set allowed-ranges` or `site-token` reaches the running host within seconds.
   */
  followStoredAdmission?: boolean;
  /** How often expired CMIDs are swept and the key state re-read (ms). */
  housekeepingMs?: number;
  /** DNS publishing (src-main/dns): how often the publish list is synced, and this machine's addresses. */
  dns?: { syncMs?: number; addresses?: () => string[]; timeoutMs?: number };
  /**
   * How secrets that may be sealed are kept (store/secret-file.ts): owner-only files by default;
   * the desktop app gives its OS keychain, which seals the DNS publish list's TSIG keys.
   */
  secrets?: SecretSealer;
}

export interface HostRuntime {
  readonly dataDir: string;
  readonly engine: Engine;
  readonly store: ReturnType<typeof openStore>;
  /** The console's reads, on their own thread and connection (store/console-reader.ts). */
  readonly reader: ConsoleReader;
  readonly identity: HostIdentity;
  readonly catalog: ProductCatalog;
  readonly startedAt: number;
  addresses(): ListenAddress[];
  /** The activation listener's counters: connections, faults, limits hit, internal errors caught. */
  rpcStats(): RpcStats;
  gate(): ServingGate;
  /**
   * Why clients are not activated now, or null: the key's gate, or a store that cannot record
   * (a failing commit, a lost -wal). /readyz and the console's "serving" read this.
   */
  notReady(): string | null;
  /** Where faults escaping a listener or a timer of this host are reported and counted. */
  readonly faults: FaultGuard;
  /** Problems the admin should fix that do not stop activation (a data directory others can read). */
  warnings(): string[];
  /** Publishes the host's SRV records per the publish list (docs/operations.md, "DNS"). */
  readonly dns: DnsSync;
  /** Called after each group commit with the records it held. */
  onCommitted(listener: (records: ActivationRecord[]) => void): () => void;
  /** Re-reads the key state and the stored intervals now (after the console changed them). */
  refresh(): void;
  /** The client admission in force; null admits every client. */
  admission(): HostOptions['admission'] | null;
  /** Replaces the client admission for the requests that arrive from now on. */
  setAdmission(admission: HostOptions['admission'] | null): void;
  /**
   * Closes the listener and listens on `listen` instead. When the new addresses cannot be opened,
   * the old ones are listened on again and the error says why (the host keeps serving).
   */
  relisten(listen: ListenAddress[]): Promise<void>;
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => Date.now() };

/**
 * `quorum settings set` may change the intervals while the host runs. Returns the problem with a
 * bad stored value (which is not applied), or null.
 */
function applyStoredIntervals(
  engine: Engine,
  store: ReturnType<typeof openStore>,
  log: (line: string) => void,
): string | null {
  try {
    const current = engine.intervals;
    const next = { ...current, ...intervalsFromSettings((key) => store.getSetting(key)) };
    if (
      next.activationIntervalMin !== current.activationIntervalMin ||
      next.renewalIntervalMin !== current.renewalIntervalMin
    ) {
      engine.changeIntervals(next);
      log(
        `intervals now: activation ${next.activationIntervalMin} minutes, renewal ${next.renewalIntervalMin} minutes`,
      );
    }
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The stored inventory-growth allowance (its default when unset or not valid). */
function readNewClientsLimit(store: ReturnType<typeof openStore>): number {
  return readHostSettings(store).find((s) => s.name === 'new-clients-per-address-per-hour')!.value;
}

/** The key's state as the engine needs it: whether to serve, and which products the key covers. */
function readGate(db: Parameters<typeof servingState>[0]): ServingGate {
  const gate = servingState(db);
  if (!gate.serving) return gate;
  const coverage = coveredProducts(db);
  return coverage ? { serving: true, coverage } : gate;
}

function describeListenError(e: unknown, listen: ListenAddress[]): QuorumError {
  const err = e as NodeJS.ErrnoException;
  const where = listen.map((l) => `${l.host}:${l.port}`).join(', ');
  if (err.code === 'EADDRINUSE') {
    return new QuorumError(
      'HOST_PORT_IN_USE',
      `Cannot listen on ${where}: the port is in use (is another Quorum host or KMS emulator running?).`,
      'Stop the other program or choose another port with --port.',
    );
  }
  if (err.code === 'EACCES') {
    return new QuorumError(
      'HOST_PORT_DENIED',
      `Not allowed to listen on ${where}.`,
      'Use a port above 1023 or run with the right privileges.',
    );
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new QuorumError(
      'HOST_ADDRESS_UNAVAILABLE',
      `No interface of this machine has the address in ${where}.`,
      "Check --listen, or the stored addresses: quorum settings set listen-addresses all (or this machine's addresses).",
    );
  }
  return e instanceof QuorumError
    ? e
    : new QuorumError('HOST_LISTEN_FAILED', `Cannot listen on ${where}: ${err.message}`);
}

export async function startHost(options: HostOptions): Promise<HostRuntime> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const dataDir = ensureDataDir(options.dataDir);
  const faults = new FaultGuard(log, () => clock.now());
  // The store's own checks first, so that an unreadable folder is named as such; then the lock,
  // before the store opens: a second host must not even replay the journal.
  checkPath(databasePath(dataDir), false);
  const lock = acquireHostLock(dataDir, () => clock.now());
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore({
      file: databasePath(dataDir),
      clock,
      onJournalError: (e) => log(`${e.message} ${e.hint ?? ''}`.trim()),
      onSettingIgnored: (e) => log(`setting not applied: ${e.message} ${e.hint ?? ''}`.trim()),
      onHealthChange: (problem) =>
        log(
          problem
            ? `STORE FAILING, activations are not being recorded (the host reports not ready): ${problem.message} ${problem.hint ?? ''}`.trim()
            : 'store: recording activations works again (the host reports ready)',
        ),
    });
  } catch (e) {
    lock.release();
    throw e;
  }
  let listener: RpcListener | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const catalog = new ProductCatalog();
    const engine = new Engine({ clock, catalog, ...intervalsFromSettings((key) => store.getSetting(key)) });
    const persist = (changes: EngineChange[]) =>
      store.commitEngineChanges(changes).catch((e: unknown) => log(`could not save CMID table changes: ${String(e)}`));
    // A hand-edited or damaged table may hold more than the cache allows: the engine's repairs are saved too.
    void persist(engine.restore(store.loadEngineSnapshot()));
    const identity = loadOrCreateHostIdentity(dataDir, { log });
    // Files made by older builds, by hand or by a restore: the database holds the full host key.
    const madePrivate = makeDirectoryFilesPrivate(dataDir);
    if (madePrivate.length > 0) log(`made owner-only (mode 0600): ${madePrivate.join(', ')}`);
    const exposure = directoryExposure(dataDir);
    if (exposure) log(`warning: ${exposure}`);
    let gate = readGate(store.db);
    engine.setServingGate(gate);

    let admissionOptions: HostOptions['admission'] | null = null;
    let admission: Admission | undefined;
    const setAdmission = (next: HostOptions['admission'] | null) => {
      // Built before it is swapped in, so a bad range leaves the admission in force as it was.
      const built = next?.siteToken || next?.allowedRanges?.length ? createAdmission({ ...next, clock }) : undefined;
      admission = built;
      admissionOptions = built ? next! : null;
    };
    setAdmission(options.admission ?? null);
    const knownClient = store.db.prepare<[string], unknown>('SELECT 1 FROM clients WHERE cmid = ?');
    const newClients = createNewClientGuard({
      perHour: readNewClientsLimit(store),
      clock,
      isKnown: (cmid) => knownClient.get(cmid) !== undefined,
    });
    // The handler asks for the admission of the moment, so the console can change it while clients ask.
    const handler = createActivationHandler({
      engine,
      store,
      identity,
      clock,
      admission: { check: (...args) => admission?.check(...args) ?? { admitted: true } },
      newClients,
    });
    const listen = (addresses: ListenAddress[]) =>
      startRpcListener({
        listen: addresses,
        limits: { ...storedRpcLimits(store), ...options.limits },
        onActivate: handler,
        log,
      }).catch((e: unknown) => {
        throw describeListenError(e, addresses);
      });
    listener = await listen(options.listen);

    let settingsProblem: string | null = null;
    const followStoredAdmission = () => {
      const next = storedAdmission(readNetworkSettings(store, dataDir));
      const now = admissionOptions ?? {};
      const same = (a: typeof next) => `${a.siteToken ?? ''} ${(a.allowedRanges ?? []).join(',')}`;
      if (same(next) === same(now)) return;
      setAdmission(next);
      log(`admission changed: ${describeAdmission(next)}`);
    };
    const refresh = () => {
      if (options.followStoredAdmission) followStoredAdmission();
      const problem = applyStoredIntervals(engine, store, log);
      newClients.setLimit(readNewClientsLimit(store));
      if (problem && problem !== settingsProblem) log(`settings not applied: ${problem}`);
      settingsProblem = problem;
      const next = readGate(store.db);
      if (JSON.stringify(next) !== JSON.stringify(gate)) {
        gate = next;
        engine.setServingGate(gate);
        log(gate.serving ? 'host key activated: now activating clients' : `host stopped serving: ${gate.reason}`);
      }
    };
    const housekeeping = () => {
      store.probeHealth();
      void persist(engine.expire());
      refresh();
    };
    // The key can be installed or activated by the CLI while the host runs: re-read its state.
    timer = setInterval(
      faults.wrap('the host housekeeping', () => housekeeping()),
      options.housekeepingMs ?? 5_000,
    );
    timer.unref();

    let started = listener;
    const reader = new ConsoleReader({
      file: store.file,
      runHere: (steps) => store.readSteps('reading for the console', steps),
      beforeRead: () => store.whenApplied(),
      now: () => clock.now(),
    });
    const dns = startDnsSync({
      dataDir,
      store,
      clock,
      log,
      port: () => started.addresses()[0]?.port ?? 0,
      hostKeyInstalled: () => new HostKeyRepository(store.db).get() !== undefined,
      addresses: options.dns?.addresses,
      intervalMs: options.dns?.syncMs,
      timeoutMs: options.dns?.timeoutMs,
      secrets: options.secrets,
    });
    const startedAt = clock.now();
    return {
      dataDir,
      engine,
      store,
      reader,
      identity,
      catalog,
      startedAt,
      addresses: () => started.addresses(),
      rpcStats: () => started.stats(),
      gate: () => gate,
      notReady: () => {
        if (!gate.serving) return gate.reason;
        const problem = store.health;
        return problem ? `${problem.error.message} ${problem.error.hint ?? ''}`.trim() : null;
      },
      faults,
      warnings: () => {
        const w = directoryExposure(dataDir);
        return w ? [w] : [];
      },
      dns,
      onCommitted: (l) => store.onCommitted(l),
      refresh,
      admission: () => admissionOptions,
      setAdmission,
      relisten: async (addresses) => {
        const before = started.addresses();
        await started.close();
        try {
          started = await listen(addresses);
        } catch (e) {
          // Port 0 would take a new random port: the old one is asked for by number.
          try {
            started = await listen(before);
          } catch (again) {
            const why = (x: unknown) => (x instanceof Error ? x.message : String(x));
            log(`not listening: ${why(again)}`);
            throw new QuorumError(
              'HOST_NOT_LISTENING',
              `The host could not listen on the new addresses (${why(e)}) nor again on ${describeAddresses(before).join(', ')} (${why(again)}): it is not listening now.`,
              'Save a port or address that is free, or restart the host.',
            );
          }
          throw e;
        }
        log(`listening on ${describeAddresses(started.addresses()).join(', ')}`);
      },
      close: async () => {
        clearInterval(timer);
        await dns.close();
        await started.close();
        reader.close();
        store.close();
        lock.release();
      },
    };
  } catch (e) {
    clearInterval(timer);
    await listener?.close();
    store.close();
    lock.release();
    throw e;
  }
}

/**
 * Starts on every address of the machine: "::" (dual stack, IPv6 and IPv4), or "0.0.0.0" where the
 * machine has no IPv6.
 */
export async function startHostOnAllAddresses(
  options: Omit<HostOptions, 'listen'>,
  port: number,
): Promise<HostRuntime> {
  try {
    return await startHost({ ...options, listen: [{ host: '::', port }] });
  } catch (e) {
    if (e instanceof QuorumError && e.code === 'HOST_ADDRESS_UNAVAILABLE') {
      return startHost({ ...options, listen: [{ host: '0.0.0.0', port }] });
    }
    throw e;
  }
}
