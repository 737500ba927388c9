/**
 * The scenarios `npm run bench` runs against each server, all through bench/load-client.ts so every
 * server sees the same connection patterns. Host CPU is the server process's CPU time over the
 * scenario divided by the calls it answered.
 */
import type { BenchServer } from './bench-server.js';
import { runLoad, templatesFor, type LoadResult, type LoadSpec } from './load-client.js';

export interface BenchSettings {
  seconds: number;
  warmupSeconds: number;
  /** Known clients the renewal scenarios rotate through (activated during the warm-up). */
  clients: number;
  fixedRate: number;
}

export type Proto = 'qap' | 'echo';

export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs one load against `server`, and the server's CPU time over it. */
async function loadWithCpu(server: BenchServer, spec: Omit<LoadSpec, 'port'>, templates: string) {
  const before = await server.stats();
  const result = await runLoad({ ...spec, port: server.port }, templates);
  const after = await server.stats();
  return { result, serverCpuUs: after.cpuUs - before.cpuUs };
}

function summary({ result: r, serverCpuUs }: { result: LoadResult; serverCpuUs: number }) {
  return {
    perSecond: round(r.count / (r.elapsedMs / 1000)),
    count: r.count,
    errors: r.errors,
    firstError: r.firstError || undefined,
    serverCpuUsPerActivation: r.count > 0 ? round(serverCpuUs / r.count, 1) : null,
    // The load client's CPU per call: it must stay well below the server's, or the client is what is measured.
    clientCpuUsPerActivation: r.count > 0 ? round(r.cpuUs / r.count, 1) : null,
  };
}

export async function measure(server: BenchServer, proto: Proto, s: BenchSettings) {
  const templates = proto === 'qap' ? templatesFor('known', s.clients) : '';
  const run = (spec: Omit<LoadSpec, 'port' | 'proto'>) =>
    loadWithCpu(server, { proto, ...spec }, templates).then(summary);
  // Unmeasured: V8 compiles the hot paths in the first seconds, which would otherwise be charged to
  // whichever scenario runs first; it also activates the known clients, so what follows is renewals.
  if (s.warmupSeconds > 0) {
    await runLoad({ proto, port: server.port, seconds: s.warmupSeconds / 2, newConnection: true }, templates);
    const half = { proto, port: server.port, seconds: s.warmupSeconds / 2, newConnection: false, concurrency: 2 };
    await runLoad(half, templates);
  }
  const newConnection = {
    workers1: await run({ seconds: s.seconds, newConnection: true, concurrency: 1 }),
    workers2: await run({ seconds: s.seconds, newConnection: true, concurrency: 2 }),
  };
  const reusedConnection = {
    workers1: await run({ seconds: s.seconds, newConnection: false, concurrency: 1 }),
    workers2: await run({ seconds: s.seconds, newConnection: false, concurrency: 2 }),
  };
  const firstActivations = {
    reusedWorkers1: await run({ seconds: s.seconds, newConnection: false, concurrency: 1, newClients: true }),
  };
  const fixed = await runLoad(
    { proto, port: server.port, seconds: s.seconds, rate: s.fixedRate, newConnection: true },
    templates,
  );
  return {
    newConnection,
    reusedConnection,
    firstActivations,
    fixedLoad: {
      offeredPerSecond: s.fixedRate,
      achievedPerSecond: round(fixed.count / (fixed.elapsedMs / 1000)),
      p50Ms: fixed.p50Ms === null ? null : round(fixed.p50Ms, 3),
      p99Ms: fixed.p99Ms === null ? null : round(fixed.p99Ms, 3),
      errors: fixed.errors,
    },
    rssMB: round((await server.stats()).rssBytes / 2 ** 20, 1),
  };
}

export const STORM_CLIENTS = 2000;
export const STORM_CONCURRENCY = 50;

/**
 * A Monday morning: STORM_CLIENTS machines the host has never seen, each on its own new connection,
 * STORM_CONCURRENCY at a time, all started within a minute (the load stops at 60 s whatever remains).
 */
export async function bootStorm(server: BenchServer) {
  const { result: r, serverCpuUs } = await loadWithCpu(
    server,
    {
      proto: 'qap',
      seconds: 60,
      max: STORM_CLIENTS,
      concurrency: STORM_CONCURRENCY,
      newConnection: true,
      newClients: true,
    },
    templatesFor('storm', STORM_CLIENTS),
  );
  return {
    clients: STORM_CLIENTS,
    concurrency: STORM_CONCURRENCY,
    served: r.count,
    allServed: r.count === STORM_CLIENTS && r.errors === 0,
    errors: r.errors,
    firstError: r.firstError || undefined,
    elapsedMs: round(r.elapsedMs),
    perSecond: round(r.count / (r.elapsedMs / 1000)),
    p50Ms: r.p50Ms === null ? null : round(r.p50Ms, 3),
    p99Ms: r.p99Ms === null ? null : round(r.p99Ms, 3),
    hostCpuUsPerActivation: r.count > 0 ? round(serverCpuUs / r.count, 1) : null,
    // Of one core: above 100 the host used more than one (its worker threads).
    hostCpuPercent: round((100 * serverCpuUs) / (r.elapsedMs * 1000), 1),
  };
}

const megabytes = (bytes: number) => round(bytes / 2 ** 20, 1);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Host memory: `idleMB` is taken by the caller right after start; this runs up to `many`
 * activations of new clients (each a client the host has never seen, the growth case) on 4 reused
 * connections, bounded by `seconds`, then reads RSS at once and again after 5 s of idle.
 */
export async function manyActivations(server: BenchServer, many: number, seconds: number) {
  const r = await runLoad(
    { proto: 'qap', port: server.port, seconds, max: many, concurrency: 4, newConnection: false, newClients: true },
    templatesFor('many', 1000),
  );
  const afterMB = megabytes((await server.stats()).rssBytes);
  await pause(5000);
  return {
    requested: many,
    activations: r.count,
    errors: r.errors,
    firstError: r.firstError || undefined,
    elapsedMs: round(r.elapsedMs),
    rssAfterMB: afterMB,
    rssAfterIdle5sMB: megabytes((await server.stats()).rssBytes),
  };
}

export async function idleRss(server: BenchServer): Promise<number> {
  await pause(2000);
  return megabytes((await server.stats()).rssBytes);
}
