/**
 * `npm run bench`: activation throughput and latency of a real Quorum host (every activation
 * committed to SQLite before its reply, every reply signed) against a bare Node TCP server with the
 * same connection patterns, measured in the same run. Host, baseline and load workers are separate
 * processes sharing this machine's cores. Prints one JSON object.
 *
 * Each load worker plays a population of known clients (BENCH_CLIENTS, default 1000), activated
 * during the warm-up, so the throughput and latency scenarios measure renewals, a real site's
 * steady state; one more scenario measures first activations (new clients, the costly write).
 * BENCH_SECONDS sets each scenario's duration (default 4); BENCH_WARMUP_SECONDS the unmeasured
 * warm-up of each server (default 6).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { activateDataDir } from '../test/support/activated-host.js';
import type { ProcessStats } from './process-stats.js';
import { measureCliStart } from './cli-start.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
// A host is measured as it runs for days, not in its first seconds: at a few hundred new connections
// a second, V8 is still compiling the connection path after 2 s (host CPU per new connection measured
// 1,138 -> 780 -> 652 us over three consecutive 4 s runs), so 6 s of warm-up by default.
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 6);
const FIXED_RATE = 1000;

interface Server {
  port: number;
  stats(): Promise<ProcessStats>;
  /** Sends a command line to the server process and returns its one-line JSON answer. */
  command(line: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

interface WorkerResult {
  count: number;
  errors: number;
  firstError: string;
  elapsedMs: number;
  /** The worker's own CPU time over its load loop. */
  cpuUs: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

function tsProcess(file: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['bin/run-ts.js', file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

async function startServer(file: string, args: string[]): Promise<Server> {
  const child = tsProcess(file, args);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const waiting: { resolve: (value: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line) as Record<string, unknown>));
  // One exit listener for all questions (one per question grew past the EventEmitter warning).
  child.once('exit', () => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${file} exited: ${stderr}`));
  });
  const next = () => new Promise<Record<string, unknown>>((resolve, reject) => waiting.push({ resolve, reject }));
  const { port } = (await next()) as { port: number };
  return {
    port,
    stats: async () => {
      const reply = next();
      child.stdin.write('stats\n');
      return (await reply).stats as ProcessStats;
    },
    command: async (line: string) => {
      const reply = next();
      child.stdin.write(`${line}\n`);
      return reply;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
/** New clients available to the first-activation scenario: more than it can reach in its duration. */
const FRESH_CLIENTS = 50_000;

/** Worker i of a scenario plays population `known-i`; 'fresh' is new clients every time. */
interface Population {
  name: string;
  clients: number;
}
const known = (i: number): Population => ({ name: `known-${i}`, clients: CLIENTS });
const FRESH: Population = { name: 'fresh', clients: FRESH_CLIENTS };

function runWorker(
  kind: string,
  mode: string,
  port: number,
  seconds: number,
  rate = 0,
  population: Population = known(0),
): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = tsProcess('bench/load-worker.ts', [
      kind,
      mode,
      String(port),
      String(seconds),
      String(rate),
      population.name,
      String(population.clients),
    ]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as WorkerResult) : reject(new Error(`load worker failed: ${err}`)),
    );
  });
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

async function throughput(
  server: Server,
  kind: string,
  mode: 'new' | 'reused',
  workers: number,
  population: (i: number) => Population = known,
) {
  const before = await server.stats();
  const results = await Promise.all(
    Array.from({ length: workers }, (_, i) => runWorker(kind, mode, server.port, SECONDS, 0, population(i))),
  );
  const after = await server.stats();
  const count = results.reduce((s, r) => s + r.count, 0);
  const errors = results.reduce((s, r) => s + r.errors, 0);
  const seconds = Math.max(...results.map((r) => r.elapsedMs)) / 1000;
  return {
    perSecond: round(count / seconds),
    count,
    errors,
    firstError: results.find((r) => r.firstError)?.firstError || undefined,
    serverCpuUsPerActivation: count > 0 ? round((after.cpuUs - before.cpuUs) / count, 1) : null,
    // The load client's CPU per call: it must stay well below the server's, or the client is what is measured.
    clientCpuUsPerActivation: count > 0 ? round(results.reduce((s, r) => s + r.cpuUs, 0) / count, 1) : null,
  };
}

async function measure(server: Server, kind: string) {
  // Unmeasured: V8 compiles the hot paths in the first second or so, which would otherwise be
  // charged to whichever scenario runs first.
  // The reused-connection half also activates both known populations, so what is measured after
  // it is renewals.
  if (WARMUP_SECONDS > 0) {
    await runWorker(kind, 'new', server.port, WARMUP_SECONDS / 2);
    await Promise.all([0, 1].map((i) => runWorker(kind, 'reused', server.port, WARMUP_SECONDS / 2, 0, known(i))));
  }
  const result = {
    newConnection: {
      workers1: await throughput(server, kind, 'new', 1),
      workers2: await throughput(server, kind, 'new', 2),
    },
    reusedConnection: {
      workers1: await throughput(server, kind, 'reused', 1),
      workers2: await throughput(server, kind, 'reused', 2),
    },
    firstActivations: {
      reusedWorkers1: await throughput(server, kind, 'reused', 1, () => FRESH),
    },
    fixedLoad: await runWorker(kind, 'rate', server.port, SECONDS, FIXED_RATE).then((r) => ({
      offeredPerSecond: FIXED_RATE,
      achievedPerSecond: round(r.count / (r.elapsedMs / 1000)),
      p50Ms: r.p50Ms === null ? null : round(r.p50Ms, 3),
      p99Ms: r.p99Ms === null ? null : round(r.p99Ms, 3),
      errors: r.errors,
    })),
    rssMB: round((await server.stats()).rssBytes / 2 ** 20, 1),
  };
  if (kind !== 'quorum') return result;
  // The same fixed load while the console reads the client table in a loop: its reads run on their
  // own thread, so the activations' p99 should not move.
  await server.command('reads on');
  const withReads = await runWorker(kind, 'rate', server.port, SECONDS, FIXED_RATE);
  const { reads } = (await server.command('reads off')) as { reads: number };
  return {
    ...result,
    fixedLoadWithConsoleReads: {
      offeredPerSecond: FIXED_RATE,
      achievedPerSecond: round(withReads.count / (withReads.elapsedMs / 1000)),
      p50Ms: withReads.p50Ms === null ? null : round(withReads.p50Ms, 3),
      p99Ms: withReads.p99Ms === null ? null : round(withReads.p99Ms, 3),
      errors: withReads.errors,
      consoleReadsPerSecond: round(reads / SECONDS, 1),
    },
  };
}

// First, while nothing else of the bench runs: the CLI's cold start.
const cliStart = measureCliStart();
const dataDir = mkdtempSync(join(tmpdir(), 'quorum-bench-'));
activateDataDir(dataDir, 'desktop');
const baselineServer = await startServer('bench/baseline-process.ts', []);
const baseline = await measure(baselineServer, 'baseline');
await baselineServer.stop();
const hostServer = await startServer('bench/host-process.ts', [dataDir]);
const quorum = await measure(hostServer, 'quorum');
await hostServer.stop();
rmSync(dataDir, { recursive: true, force: true });

const ratio = (a: number | null, b: number | null) => (a && b ? round(a / b, 3) : null);
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark:
        'activation over TCP: Quorum host (SQLite commit before reply, Ed25519-signed) vs bare Node TCP server',
      secondsPerScenario: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      // Each load worker renews this many known clients (activated in the warm-up); the
      // firstActivations scenario sends only clients the host has never seen.
      clientsPerWorker: CLIENTS,
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      quorum,
      baseline,
      ratios: {
        newConnection1: ratio(quorum.newConnection.workers1.perSecond, baseline.newConnection.workers1.perSecond),
        newConnection2: ratio(quorum.newConnection.workers2.perSecond, baseline.newConnection.workers2.perSecond),
        reusedConnection1: ratio(
          quorum.reusedConnection.workers1.perSecond,
          baseline.reusedConnection.workers1.perSecond,
        ),
        reusedConnection2: ratio(
          quorum.reusedConnection.workers2.perSecond,
          baseline.reusedConnection.workers2.perSecond,
        ),
        firstActivations1: ratio(
          quorum.firstActivations.reusedWorkers1.perSecond,
          baseline.firstActivations.reusedWorkers1.perSecond,
        ),
        p99AtFixedLoad: ratio(quorum.fixedLoad.p99Ms, baseline.fixedLoad.p99Ms),
        p99WithConsoleReadsVsWithout:
          'fixedLoadWithConsoleReads' in quorum
            ? ratio(quorum.fixedLoadWithConsoleReads.p99Ms, quorum.fixedLoad.p99Ms)
            : null,
        rss: ratio(quorum.rssMB, baseline.rssMB),
      },
      cliStart,
      targets: { newConnectionPerSecond: 5000, reusedConnectionPerSecond: 20000, p99MsAt1000PerSecond: 2 },
    },
    null,
    2,
  )}\n`,
);
