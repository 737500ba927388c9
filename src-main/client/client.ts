/**
 * The Quorum client library: `createClient(options)` gives `activateOnce()` (one attempt, as
 * `quorum client activate`) and the agent loop `run()`/`stop()` (as `quorum client run`), which
 * schedules renewals and retries on the injected Scheduler: the real clock in the agent, a
 * VirtualClock in tests and in the simulator.
 */
import { hostname } from 'node:os';
import { QuorumError } from '../../shared/domain/errors.js';
import type { Scheduler, TimerHandle } from '../../shared/domain/clock.js';
import { ProductCatalog, type Product } from '../../shared/domain/products.js';
import { QAP_DEFAULT_PORT } from '../../shared/protocol/qap-types.js';
import { MAX_MACHINE_NAME_BYTES } from '../../shared/protocol/qap-codec.js';
import { parseHostAddress, type HostAddress } from '../dns/host-address.js';
import { createSrvLookup, DEFAULT_SERVICE_NAME, type SrvLookup } from '../dns/srv-lookup.js';
import type { RandomSource } from '../dns/srv-select.js';
import { runAttempt, type AttemptResult, type Discovery } from './attempt.js';
import type { ClientEvent } from './events.js';
import { afterAttempt, licenseStateAt, newLicenseRecord, remainingMinutesAt } from './license-machine.js';
import { describeState, emptyStatus, type ClientStatus } from './status.js';
import { fileStateStore, newClientState, type ClientState, type ClientStateStore } from './state-file.js';
import { systemScheduler } from './system-scheduler.js';
import type { ActivationTransport, DirectTransport } from './transport.js';
import { detectVm } from './vm-detect.js';
import { checkDomains, checkMachineName, checkPins, checkServiceName } from './option-checks.js';

export interface ClientOptions {
  /** The state file (CMID, pins, cached host, license records). Created on first use. */
  stateFile: string;
  /** Keeps the state elsewhere than `stateFile` (the simulator keeps fleets in memory). */
  stateStore?: ClientStateStore;
  /** Product short name ("desktop") or activation id. */
  product: string;
  /** Static hosts, "H[:PORT]" or parsed; disables DNS discovery. */
  hosts?: (string | HostAddress)[];
  /** Domains to query for `<serviceName>.<domain>` SRV records, in order. */
  domains?: string[];
  /** "ADDR[:PORT]" of the DNS server to ask; the system resolver otherwise. */
  dnsServer?: string;
  /** Default "_quorum._tcp". */
  serviceName?: string;
  /** Default true: the host that answered is tried first next time. */
  hostCaching?: boolean;
  /** Host key fingerprints the admin trusts; when given, no other key is accepted (no trust on first use). */
  pinnedFingerprints?: string[];
  /** Name reported to the host; default: this machine's host name. */
  machineName?: string;
  /** VM flag; detected when absent. */
  isVm?: boolean;
  /** The site token the host's admission check requires, if it has one. */
  siteToken?: string;
  /** Per-host exchange timeout, default 5000 ms. */
  timeoutMs?: number;
  catalog?: ProductCatalog;
  scheduler?: Scheduler;
  random?: RandomSource;
  transport?: ActivationTransport | DirectTransport;
  /** Answers the SRV and address queries instead of DNS (the simulator's model of DNS). */
  srvLookup?: SrvLookup;
  /** A fixed CMID for a new state (the simulator's cloned images share one); random otherwise. */
  newCmid?: () => string;
  onEvent?: (e: ClientEvent) => void;
}

export interface ActivationOutcome {
  activated: boolean;
  /** Why not, when not activated (stable code, message, hint). */
  error: QuorumError | null;
  /** "host:port" whose answer decided the attempt. */
  host: string | null;
  hostId: string | null;
  fingerprint: string | null;
  count: number | null;
  threshold: number | null;
  status: ClientStatus;
}

export interface QuorumClient {
  readonly product: Product;
  /** One attempt now; saves the state and returns what happened. Never throws for host/DNS failures. */
  activateOnce(): Promise<ActivationOutcome>;
  /** Starts the agent loop; resolves once the first attempt is scheduled. */
  run(): Promise<void>;
  /** Stops the loop and waits for an attempt in flight to finish and be saved. */
  stop(): Promise<void>;
  /** Resolves when no attempt is in flight (tests advance a VirtualClock, then await this). */
  whenIdle(): Promise<void>;
  /** When the loop's next attempt is due (ms), or null when the loop is not running. */
  readonly nextAttemptAt: number | null;
  status(): Promise<ClientStatus>;
}

export function createClient(options: ClientOptions): QuorumClient {
  const catalog = options.catalog ?? new ProductCatalog();
  const product = catalog.find(options.product);
  if (!product) {
    throw new QuorumError(
      'CLIENT_UNKNOWN_PRODUCT',
      `Unknown product "${options.product}".`,
      `Use one of: ${catalog.names().join(', ')} (or a product's activation id).`,
    );
  }
  const scheduler = options.scheduler ?? systemScheduler;
  const emit = options.onEvent ?? (() => undefined);
  const discovery = buildDiscovery(options);
  const machineName = checkMachineName(options.machineName ?? defaultMachineName());
  const adminPins = checkPins(options.pinnedFingerprints ?? []);
  let isVm = options.isVm;
  const store = options.stateStore ?? fileStateStore(options.stateFile);

  let busy: Promise<unknown> = Promise.resolve();
  let timer: TimerHandle | null = null;
  let nextAt: number | null = null;
  let running = false;

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const result = busy.then(work, work);
    busy = result.catch(() => undefined);
    return result;
  };

  const loadState = async (now: number): Promise<ClientState> => {
    const stored = await store.read();
    if (stored) return stored;
    // The new CMID is saved before any host sees it: a host that counted a CMID this client then
    // failed to keep would count the machine again at every retry (an unwritable --state).
    const fresh = newClientState(now, options.newCmid?.());
    await store.write(fresh);
    return fresh;
  };

  const attemptNow = async (): Promise<{ outcome: ActivationOutcome; nextAttemptAt: number }> => {
    const now = scheduler.now();
    const state = await loadState(now);
    const record = state.licenses[product.id] ?? newLicenseRecord(product.id, now);
    isVm ??= (await detectVm()).isVm;
    emit({ type: 'attempt-start', at: now, productId: product.id });
    const result: AttemptResult = await runAttempt(
      {
        discovery,
        transport: options.transport ?? (await import('./rpc-transport.js')).rpcTransport,
        hostCaching: options.hostCaching ?? true,
        adminPins,
        timeoutMs: options.timeoutMs ?? 5000,
        random: options.random ?? Math.random,
        siteToken: options.siteToken ?? null,
        emit,
      },
      state,
      product,
      {
        version: 1,
        cmid: state.cmid,
        previousCmid: null,
        machineName,
        applicationId: product.applicationId,
        productId: product.id,
        productGroupId: product.groupId,
        licenseState: licenseStateAt(record, now),
        remainingMinutes: remainingMinutesAt(record, now),
        isVm,
        clientTime: now,
        siteTokenMac: null,
      },
    );
    const r = result.response;
    const updated = afterAttempt(
      record,
      now,
      {
        at: now,
        activated: result.activated,
        ...(result.error ? { code: result.error.code, message: result.error.message } : {}),
        ...(result.host ? { host: result.host } : {}),
        ...(r ? { hostId: r.hostId, count: r.count, threshold: r.threshold } : {}),
        ...(result.fingerprint ? { fingerprint: result.fingerprint } : {}),
      },
      r
        ? {
            granted: r.granted,
            activationIntervalMin: r.activationIntervalMin,
            renewalIntervalMin: r.renewalIntervalMin,
            validityMin: r.validityMin,
          }
        : null,
    );
    state.licenses[product.id] = updated;
    await store.write(state);
    emit({
      type: 'attempt-end',
      at: now,
      activated: result.activated,
      ...(result.error ? { code: result.error.code, message: result.error.message } : {}),
      ...(result.host ? { host: result.host } : {}),
      nextAttemptAt: updated.nextAttemptAt,
    });
    return {
      nextAttemptAt: updated.nextAttemptAt,
      outcome: {
        activated: result.activated,
        error: result.error,
        host: result.host,
        hostId: r?.hostId ?? null,
        fingerprint: result.fingerprint,
        count: r?.count ?? null,
        threshold: r?.threshold ?? null,
        status: describeState(store.location, state, now),
      },
    };
  };

  const schedule = (when: number): void => {
    nextAt = when;
    timer = scheduler.at(when, () => {
      timer = null;
      void serial(async () => {
        if (!running) return;
        let next: number;
        try {
          next = (await attemptNow()).nextAttemptAt;
        } catch (e) {
          // A state file that cannot be written or read: retry later rather than die silently.
          const code = e instanceof QuorumError ? e.code : 'INTERNAL';
          const message = e instanceof Error ? e.message : String(e);
          const retry = scheduler.now() + (await retryIntervalMs());
          emit({ type: 'attempt-end', at: scheduler.now(), activated: false, code, message, nextAttemptAt: retry });
          next = retry;
        }
        if (running) schedule(next);
      });
    });
  };

  const retryIntervalMs = async (): Promise<number> => {
    const state = await store.read().catch(() => null);
    return (state?.licenses[product.id]?.activationIntervalMin ?? 120) * 60_000;
  };

  return {
    product,
    activateOnce: () => serial(async () => (await attemptNow()).outcome),
    async run() {
      if (running) return;
      const state = await store.read();
      running = true;
      schedule(Math.max(scheduler.now(), state?.licenses[product.id]?.nextAttemptAt ?? 0));
    },
    async stop() {
      running = false;
      timer?.cancel();
      timer = null;
      nextAt = null;
      await busy;
    },
    whenIdle: () => busy.then(() => undefined),
    get nextAttemptAt() {
      return running ? nextAt : null;
    },
    async status() {
      const state = await store.read();
      return state ? describeState(store.location, state, scheduler.now()) : emptyStatus(store.location);
    },
  };
}

/** The host name, cut to the protocol's 63 bytes (it is only a label for the host's inventory). */
function defaultMachineName(): string {
  let name = hostname() || 'unnamed';
  while (new TextEncoder().encode(name).byteLength > MAX_MACHINE_NAME_BYTES) name = name.slice(0, -1);
  return name;
}

function buildDiscovery(options: ClientOptions): Discovery {
  const hosts = options.hosts ?? [];
  const domains = options.domains ?? [];
  if (hosts.length > 0 && domains.length > 0) {
    throw new QuorumError(
      'CLIENT_BAD_DISCOVERY',
      'Give either hosts or domains, not both.',
      'Pinning hosts (--host) turns DNS discovery off; use --domain alone to discover hosts.',
    );
  }
  if (hosts.length > 0) {
    return {
      kind: 'static',
      hosts: hosts.map((h) => (typeof h === 'string' ? parseHostAddress(h, QAP_DEFAULT_PORT, '--host') : h)),
    };
  }
  if (domains.length === 0) {
    throw new QuorumError(
      'CLIENT_BAD_DISCOVERY',
      'No way to find a host: give a domain to query or a host.',
      'Use --domain DOMAIN (DNS SRV discovery) or --host H[:PORT].',
    );
  }
  checkDomains(domains);
  const serviceName = checkServiceName(options.serviceName ?? DEFAULT_SERVICE_NAME);
  const lookup =
    options.srvLookup ??
    createSrvLookup({
      ...(options.dnsServer !== undefined ? { dnsServer: options.dnsServer } : {}),
      timeoutMs: Math.min(options.timeoutMs ?? 3000, 3000),
    });
  return { kind: 'dns', domains, serviceName, lookup };
}
