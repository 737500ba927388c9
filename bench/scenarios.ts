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
  /** Rounds of every scenario; each figure is a server's best round. */
  rounds: number;
}

export type Proto = 'qap' | 'echo';

export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs one load against `server`, and the server's CPU time over it. */
async function loadWithCpu(server: BenchServer, spec: Omit<LoadSpec, 'port'>, templates: string) {
  const before = await server.stats();
  const result = await runLoad({ ...spec, port: server.port }, templates);
  const after = await server.stats();
  const mainThreadCpuUs =
    after.mainThreadCpuUs === undefined || before.mainThreadCpuUs === undefined
      ? undefined
      : after.mainThreadCpuUs - before.mainThreadCpuUs;
  return { result, serverCpuUs: after.cpuUs - before.cpuUs, mainThreadCpuUs };
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

export interface Contender<N extends string = string> {
  name: N;
  server: BenchServer;
  proto: Proto;
}

type ThroughputSpec = Pick<LoadSpec, 'newConnection' | 'concurrency' | 'newClients'>;
const THROUGHPUT = {
  newConnection: {
    workers1: { newConnection: true, concurrency: 1 },
    workers2: { newConnection: true, concurrency: 2 },
  },
  reusedConnection: {
    workers1: { newConnection: false, concurrency: 1 },
    workers2: { newConnection: false, concurrency: 2 },
  },
  // Clients the server has never seen: a new inventory row each (the costly write).
  firstActivations: { reusedWorkers1: { newConnection: false, concurrency: 1, newClients: true } },
} satisfies Record<string, Record<string, ThroughputSpec>>;

type Throughput = ReturnType<typeof summary>;
interface FixedLoad {
  offeredPerSecond: number;
  achievedPerSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number;
  /** The host's CPU per activation, all threads; and its main thread's alone (Linux), the one that answers. */
  hostCpuUsPerActivation: number | null;
  activationThreadCpuUsPerActivation: number | null;
}
export interface Measured {
  newConnection: { workers1: Throughput; workers2: Throughput };
  reusedConnection: { workers1: Throughput; workers2: Throughput };
  firstActivations: { reusedWorkers1: Throughput };
  fixedLoad: FixedLoad;
  rssMB: number;
}

const templatesOf = (c: Contender, s: BenchSettings) => (c.proto === 'qap' ? templatesFor('known', s.clients) : '');

/** Unmeasured: V8 compiles the hot paths in its first seconds; this also activates the known clients. */
async function warmUp(c: Contender, s: BenchSettings): Promise<void> {
  if (s.warmupSeconds <= 0) return;
  const base = { proto: c.proto, port: c.server.port, seconds: s.warmupSeconds / 2 };
  await runLoad({ ...base, newConnection: true }, templatesOf(c, s));
  await runLoad({ ...base, newConnection: false, concurrency: 2 }, templatesOf(c, s));
}

/** `s.fixedRate` activations a second offered in an open loop, a new connection each. */
async function fixedLoad(c: Contender, s: BenchSettings): Promise<FixedLoad> {
  const spec = { proto: c.proto, seconds: s.seconds, rate: s.fixedRate, newConnection: true };
  const { result: r, serverCpuUs, mainThreadCpuUs } = await loadWithCpu(c.server, spec, templatesOf(c, s));
  const perActivation = (us: number | undefined) => (r.count > 0 && us !== undefined ? round(us / r.count, 1) : null);
  return {
    offeredPerSecond: s.fixedRate,
    achievedPerSecond: round(r.count / (r.elapsedMs / 1000)),
    p50Ms: r.p50Ms === null ? null : round(r.p50Ms, 3),
    p99Ms: r.p99Ms === null ? null : round(r.p99Ms, 3),
    errors: r.errors,
    hostCpuUsPerActivation: perActivation(serverCpuUs),
    activationThreadCpuUsPerActivation: perActivation(mainThreadCpuUs),
  };
}

const better = (a: Throughput | undefined, b: Throughput) => (!a || b.perSecond > a.perSecond ? b : a);
const p99 = (f: FixedLoad) => (f.errors > 0 || f.p99Ms === null ? Infinity : f.p99Ms);

/**
 * Every scenario against every server, scenario by scenario and round by round, so the servers
 * compared in a ratio are measured minutes apart at most, under the same load from the rest of the
 * machine; each figure is the server's best round (interference only ever slows a run down).
 */
export async function measureAll<N extends string>(
  contenders: Contender<N>[],
  s: BenchSettings,
): Promise<Record<N, Measured>> {
  for (const c of contenders) await warmUp(c, s);
  const best = new Map<string, Map<string, Throughput>>(contenders.map((c) => [c.name, new Map()]));
  const fixed = new Map<string, FixedLoad>();
  for (let pass = 0; pass < s.rounds; pass++) {
    for (const [pattern, variants] of Object.entries(THROUGHPUT)) {
      for (const [variant, spec] of Object.entries(variants as Record<string, ThroughputSpec>)) {
        for (const c of contenders) {
          const r = summary(
            await loadWithCpu(c.server, { proto: c.proto, seconds: s.seconds, ...spec }, templatesOf(c, s)),
          );
          const key = `${pattern}.${variant}`;
          best.get(c.name)!.set(key, better(best.get(c.name)!.get(key), r));
        }
      }
    }
    for (const c of contenders) {
      const f = await fixedLoad(c, s);
      const before = fixed.get(c.name);
      if (!before || p99(f) < p99(before)) fixed.set(c.name, f);
    }
  }
  const out = {} as Record<N, Measured>;
  for (const c of contenders) {
    const b = best.get(c.name)!;
    out[c.name] = {
      newConnection: { workers1: b.get('newConnection.workers1')!, workers2: b.get('newConnection.workers2')! },
      reusedConnection: {
        workers1: b.get('reusedConnection.workers1')!,
        workers2: b.get('reusedConnection.workers2')!,
      },
      firstActivations: { reusedWorkers1: b.get('firstActivations.reusedWorkers1')! },
      fixedLoad: fixed.get(c.name)!,
      rssMB: round((await c.server.stats()).rssBytes / 2 ** 20, 1),
    };
  }
  return out;
}

/**
 * The fixed load again while the host's console reads the client table in a loop (host-process.ts):
 * the reads run on their own thread, so the activations' p99 should not move.
 */
export async function fixedLoadWithConsoleReads(server: BenchServer, s: BenchSettings) {
  await server.command('reads on');
  const f = await fixedLoad({ name: 'quorum', server, proto: 'qap' }, s);
  const { reads } = (await server.command('reads off')) as { reads: number };
  return { ...f, consoleReadsPerSecond: round(reads / s.seconds, 1) };
}

/**
 * `npm run bench -- --only console-reads`: the host alone, warmed up, then the fixed load without
 * and with the console's read loop, alternated for `s.rounds` rounds; each figure is its best
 * round, as in the whole bench.
 */
export async function consoleReadsAlone(server: BenchServer, s: BenchSettings) {
  const host: Contender = { name: 'quorum', server, proto: 'qap' };
  await warmUp(host, s);
  let without: FixedLoad | undefined;
  let withReads: Awaited<ReturnType<typeof fixedLoadWithConsoleReads>> | undefined;
  for (let pass = 0; pass < s.rounds; pass++) {
    const a = await fixedLoad(host, s);
    if (!without || p99(a) < p99(without)) without = a;
    const b = await fixedLoadWithConsoleReads(server, s);
    if (!withReads || p99(b) < p99(withReads)) withReads = b;
  }
  return { fixedLoad: without!, fixedLoadWithConsoleReads: withReads! };
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

const megabytes = (bytes: number | undefined) => (bytes === undefined ? null : round(bytes / 2 ** 20, 1));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS and, on Linux, its anonymous and file-backed parts, and the JS heap in use, in MB. */
async function memory(server: BenchServer) {
  const m = await server.stats();
  return {
    rssMB: megabytes(m.rssBytes),
    anonMB: megabytes(m.rssAnonBytes),
    fileMB: megabytes(m.rssFileBytes),
    heapUsedMB: megabytes(m.heapUsedBytes),
  };
}

/**
 * Host memory after up to `many` activations of new clients (each a client the host has never
 * seen, the growth case) on 4 reused connections, bounded by `seconds`: read at once and again
 * after 5 s of idle.
 */
export async function manyActivations(server: BenchServer, many: number, seconds: number) {
  const r = await runLoad(
    { proto: 'qap', port: server.port, seconds, max: many, concurrency: 4, newConnection: false, newClients: true },
    templatesFor('many', 1000),
  );
  const after = await memory(server);
  await pause(5000);
  return {
    requested: many,
    activations: r.count,
    errors: r.errors,
    firstError: r.firstError || undefined,
    elapsedMs: round(r.elapsedMs),
    after,
    afterIdle5s: await memory(server),
  };
}

/** Memory 2 s after start, with nothing done. */
export async function idleMemory(server: BenchServer) {
  await pause(2000);
  return memory(server);
}
