/**
 * One host of a rehearsal: the real engine behind the host's own responder (the same code the wire
 * handler runs), with an in-memory journal instead of SQLite, an identity from the seed, and a
 * switch for outages. Clients reach it through the DirectTransport below.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import type { Clock } from '../../shared/domain/clock.js';
import type { ProductCatalog, ProductFamily } from '../../shared/domain/products.js';
import type { DirectTransport } from '../client/transport.js';
import { Engine } from '../engine/engine.js';
import type { EngineEvents } from '../engine/types.js';
import { createResponder, type RequestResponder } from '../host/activation-handler.js';
import { hostIdentityFromSeed, type HostIdentity } from '../host/identity.js';
import type { ActivationRecord } from '../store/types.js';

/** The newest generation of every family, as a freshly issued key covers it. */
const KEY_GENERATION = 3;

export interface SimHostOptions {
  name: string;
  port: number;
  family: ProductFamily;
  clock: Clock;
  catalog: ProductCatalog;
  seed: number;
  activationIntervalMin: number;
  renewalIntervalMin: number;
  /** Every request the host decided, with the record the store would persist. */
  onRecord(host: SimHost, record: ActivationRecord): void;
}

export class SimHost {
  readonly name: string;
  readonly port: number;
  readonly engine: Engine;
  readonly identity: HostIdentity;
  readonly respond: RequestResponder;
  /** True while an outage lasts: connections fail as with a machine that is off. */
  down = false;

  constructor(options: SimHostOptions) {
    this.name = options.name;
    this.port = options.port;
    const seed = new Uint8Array(32);
    new DataView(seed.buffer).setUint32(0, options.seed >>> 0);
    seed.set(new TextEncoder().encode(options.name).subarray(0, 28), 4);
    this.identity = hostIdentityFromSeed(seed);
    this.engine = new Engine({
      clock: options.clock,
      catalog: options.catalog,
      activationIntervalMin: options.activationIntervalMin,
      renewalIntervalMin: options.renewalIntervalMin,
    });
    this.installKey(options.family);
    // The journal's durable commit is what the wire handler waits for; in memory it is immediate.
    const journal = { commitActivation: async (record: ActivationRecord) => options.onRecord(this, record) };
    this.respond = createResponder({
      engine: this.engine,
      store: journal,
      identity: this.identity,
      clock: options.clock,
    });
  }

  installKey(family: ProductFamily): void {
    this.engine.setServingGate({ serving: true, coverage: { family, maxGeneration: KEY_GENERATION } });
  }

  uninstallKey(): void {
    this.engine.setServingGate({ serving: false, reason: 'The host key was uninstalled (rehearsal event).' });
  }

  on<K extends keyof EngineEvents>(event: K, listener: (e: EngineEvents[K]) => void): void {
    this.engine.on(event, listener);
  }
}

/** Routes a client's request to the named host, or fails as an unreachable host does. */
export function directTransport(
  hosts: ReadonlyMap<string, SimHost>,
  clientAddress: string,
  onUnreachable: (host: SimHost | undefined) => void,
): DirectTransport {
  return {
    async ask(target, request) {
      const host = hosts.get(target.host);
      if (!host || host.down || host.port !== target.port) {
        onUnreachable(host);
        throw new QuorumError('CLIENT_TIMEOUT', 'no answer (the host is down in this rehearsal)');
      }
      const response = await host.respond(request, { remoteAddress: clientAddress });
      return { response, fingerprint: host.identity.fingerprint };
    },
  };
}
