/**
 * The rehearsal's clients: each one is the real client agent (createClient) with its state kept in
 * memory, discovery through the rehearsal DNS, requests through the in-process transport and its
 * timers on the shared virtual clock. This file creates them and keeps the tallies the moments need
 * (how many of a threshold group are present, and how many of those are retrying).
 */
import type { Scheduler } from '../../shared/domain/clock.js';
import { LicenseState } from '../../shared/domain/license-state.js';
import type { Product, ProductCatalog } from '../../shared/domain/products.js';
import { seededRandom, type RandomSource } from '../../shared/domain/random.js';
import { createClient, type QuorumClient } from '../client/client.js';
import type { ClientEvent } from '../client/events.js';
import { licenseStateAt } from '../client/license-machine.js';
import type { ClientState, ClientStateStore } from '../client/state-file.js';
import type { DirectTransport } from '../client/transport.js';
import type { SimDns } from './sim-dns.js';
import type { ScenarioFleet } from './scenario-schema.js';

/** Clients of one product threshold (what "all retrying" is counted over). */
export interface GroupTally {
  label: string;
  present: number;
  retrying: number;
  /** Some client of the group has been activated: "all retrying" is news only after that. */
  everActivated: boolean;
  allRetrying: boolean;
}

export interface SimClient {
  id: number;
  fleet: FleetRun;
  client: QuorumClient;
  state: ClientState | null;
  present: boolean;
  departed: boolean;
  retrying: boolean;
}

export interface FleetRun {
  spec: ScenarioFleet;
  product: Product;
  tally: GroupTally;
  clients: SimClient[];
  /** The CMID the cloned image's copies share. */
  clonedCmid: string;
}

export interface FleetContext {
  scheduler: Scheduler;
  catalog: ProductCatalog;
  dns: SimDns;
  domain: string;
  seed: number;
  random: RandomSource;
  transportFor(address: string): DirectTransport;
  /** Called for every finished attempt, after the tallies are updated. */
  onAttempt(c: SimClient, activated: boolean): void;
  /** The client whose timer fires (so the driver can wait for its attempt). */
  setFired(c: SimClient): void;
}

export function uuidFrom(random: RandomSource): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function newClient(ctx: FleetContext, fleet: FleetRun, id: number): SimClient {
  const index = fleet.clients.length;
  const machineName = `${fleet.spec.name}-${String(index + 1).padStart(5, '0')}`;
  const address = `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`;
  const cloned = index < fleet.spec.clonedImage;
  const holder: { sc?: SimClient } = {};
  const store: ClientStateStore = {
    location: machineName,
    read: async () => holder.sc!.state,
    // Kept by reference: one agent owns the state and its attempts run one at a time.
    write: async (s) => {
      holder.sc!.state = s;
    },
  };
  const scheduler: Scheduler = {
    now: () => ctx.scheduler.now(),
    at: (when, run) =>
      ctx.scheduler.at(when, () => {
        ctx.setFired(holder.sc!);
        run();
      }),
  };
  const onEvent = (e: ClientEvent) => {
    if (e.type === 'attempt-end') attemptEnded(ctx, holder.sc!, e.activated);
  };
  const cmidRandom = ctx.random;
  const client: QuorumClient = createClient({
    stateFile: machineName,
    stateStore: store,
    product: fleet.product.id,
    catalog: ctx.catalog,
    domains: [ctx.domain],
    srvLookup: ctx.dns,
    hostCaching: fleet.spec.hostCaching,
    machineName,
    isVm: ctx.random() < fleet.spec.vmShare,
    scheduler,
    random: seededRandom((ctx.seed ^ Math.imul(id + 1, 0x9e3779b1)) >>> 0),
    transport: ctx.transportFor(address),
    newCmid: () => (cloned ? fleet.clonedCmid : uuidFrom(cmidRandom)),
    onEvent,
  });
  const sc: SimClient = { id, fleet, client, state: null, present: false, departed: false, retrying: false };
  holder.sc = sc;
  fleet.clients.push(sc);
  return sc;
}

function attemptEnded(ctx: FleetContext, sc: SimClient, activated: boolean): void {
  const tally = sc.fleet.tally;
  if (activated) tally.everActivated = true;
  if (sc.present && sc.retrying === activated) tally.retrying += activated ? -1 : 1;
  sc.retrying = !activated;
  ctx.onAttempt(sc, activated);
}

/** Starts (or resumes, for a laptop back from the road) a client's agent loop. */
export async function bringIn(sc: SimClient): Promise<void> {
  sc.present = true;
  sc.fleet.tally.present++;
  if (sc.retrying) sc.fleet.tally.retrying++;
  await sc.client.run();
}

/** Stops a client's loop: it leaves for good, or goes on the road. */
export async function takeOut(sc: SimClient, forGood: boolean): Promise<void> {
  if (!sc.present) return;
  sc.present = false;
  sc.departed = forGood;
  sc.fleet.tally.present--;
  if (sc.retrying) sc.fleet.tally.retrying--;
  await sc.client.stop();
}

export type StateBucket = 'activated' | 'grace' | 'unlicensed';

export function bucketOf(sc: SimClient, now: number): StateBucket {
  const record = sc.state?.licenses[sc.fleet.product.id];
  switch (licenseStateAt(record, now)) {
    case LicenseState.Licensed:
      return 'activated';
    case LicenseState.InitialGrace:
    case LicenseState.OutOfToleranceGrace:
    case LicenseState.ExtendedGrace:
    case LicenseState.NonGenuineGrace:
      return 'grace';
    default:
      return 'unlicensed';
  }
}
