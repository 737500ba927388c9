/**
 * One running host: the data directory's store, the engine restored from it, the host identity,
 * the key gate, and the activation listener. Used by `quorum serve`, the Electron main process,
 * the tests and the benchmark alike.
 */
import { ProductCatalog } from '../../shared/domain/products.js';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { ensureDataDir } from '../cli/data-dir.js';
import { Engine } from '../engine/engine.js';
import { intervalsFromSettings } from '../engine/settings.js';
import type { ActivationRecord } from '../store/types.js';
import { checkPath, databasePath, openStore } from '../store/open-store.js';
import { coveredProducts, servingState } from '../authority/serving-state.js';
import { startRpcListener, type RpcLimits, type RpcListener } from '../rpc/listener.js';
import { createActivationHandler } from './activation-handler.js';
import { loadOrCreateHostIdentity, type HostIdentity } from './identity.js';
import { createAdmission } from './admission.js';
import { acquireHostLock } from './host-lock.js';
import type { EngineChange, ServingGate } from '../engine/types.js';
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
  /** How often expired CMIDs are swept and the key state re-read (ms). */
  housekeepingMs?: number;
  /** DNS publishing (src-main/dns): how often the publish list is synced, and this machine's addresses. */
  dns?: { syncMs?: number; addresses?: () => string[]; timeoutMs?: number };
}

export interface HostRuntime {
  readonly dataDir: string;
  readonly engine: Engine;
  readonly store: ReturnType<typeof openStore>;
  readonly identity: HostIdentity;
  readonly catalog: ProductCatalog;
  readonly startedAt: number;
  addresses(): ListenAddress[];
  gate(): ServingGate;
  /** Publishes the host's SRV records per the publish list (docs/operations.md, "DNS"). */
  readonly dns: DnsSync;
  /** Called after each group commit with the records it held. */
  onCommitted(listener: (records: ActivationRecord[]) => void): () => void;
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
      'Check --listen.',
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
  // The store's own checks first, so that an unreadable folder is named as such; then the lock,
  // before the store opens: a second host must not even replay the journal.
  checkPath(databasePath(dataDir), false);
  const lock = acquireHostLock(dataDir, () => clock.now());
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore({
      file: databasePath(dataDir),
      clock,
      nameBlocks: 'background',
      onJournalError: (e) => log(`${e.message} ${e.hint ?? ''}`.trim()),
      onSettingIgnored: (e) => log(`setting not applied: ${e.message} ${e.hint ?? ''}`.trim()),
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
    let gate = readGate(store.db);
    engine.setServingGate(gate);

    const admission =
      options.admission?.siteToken || options.admission?.allowedRanges?.length
        ? createAdmission({ ...options.admission, clock })
        : undefined;
    const handler = createActivationHandler({ engine, store, identity, clock, admission });
    try {
      listener = await startRpcListener({ listen: options.listen, limits: options.limits, onActivate: handler, log });
    } catch (e) {
      throw describeListenError(e, options.listen);
    }

    let settingsProblem: string | null = null;
    // The key can be installed or activated by the CLI while the host runs: re-read its state.
    timer = setInterval(() => {
      void persist(engine.expire());
      const problem = applyStoredIntervals(engine, store, log);
      if (problem && problem !== settingsProblem) log(`settings not applied: ${problem}`);
      settingsProblem = problem;
      const next = readGate(store.db);
      if (JSON.stringify(next) !== JSON.stringify(gate)) {
        gate = next;
        engine.setServingGate(gate);
        log(gate.serving ? 'host key activated: now activating clients' : `host stopped serving: ${gate.reason}`);
      }
    }, options.housekeepingMs ?? 5_000);
    timer.unref();

    const started = listener;
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
    });
    const startedAt = clock.now();
    return {
      dataDir,
      engine,
      store,
      identity,
      catalog,
      startedAt,
      addresses: () => started.addresses(),
      gate: () => gate,
      dns,
      onCommitted: (l) => store.onCommitted(l),
      close: async () => {
        clearInterval(timer);
        await dns.close();
        await started.close();
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
