/**
 * `npm run bench`: activation throughput, latency, CPU and memory of a real Quorum host (every
 * activation committed to SQLite before its reply, every reply signed), measured in one run and
 * with the same connection patterns against three references: the protocol floor (a minimal QAP
 * responder: bind, signed reply), the durable floor (the same plus one durable SQLite commit per
 * activation) and a bare TCP echo. Servers and the load client are separate processes sharing this
 * machine's cores; the load client is a small C program when a C compiler is present
 * (bench/load-client.ts). Prints one JSON object; bench/README.md explains the fields.
 *
 * BENCH_SECONDS: each scenario's duration (default 3). BENCH_ROUNDS: rounds of every scenario,
 * each figure a server's best (default 3). BENCH_WARMUP_SECONDS: unmeasured warm-up of
 * each server (default 6). BENCH_CLIENTS: known clients the renewal scenarios rotate through
 * (default 1000). BENCH_MANY: activations before the host's memory is read (default 100000, bounded
 * by BENCH_MANY_SECONDS, default 50). BENCH_LOAD_CLIENT=node: the Node load client even where cc exists.
 *
 * `npm run bench -- --only console-reads`: only the host, with BENCH_CONSOLE_CLIENTS clients
 * (default 100000) written into its database first, and only the fixed load without and with the
 * console's read loop (ratios.p99WithConsoleReadsVsWithout).
 */
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { databasePath } from '../src-main/store/open-store.js';
import { activateDataDir } from '../test/support/activated-host.js';
import { startBenchServer } from './bench-server.js';
import { seedClients } from './seed-clients.js';
import { measureCliStart } from './cli-start.js';
import { loadClient } from './load-client.js';
import {
  bootStorm,
  consoleReadsAlone,
  idleMemory,
  manyActivations,
  measureAll,
  fixedLoadWithConsoleReads,
  round,
  type BenchSettings,
  type Measured,
} from './scenarios.js';

const settings: BenchSettings = {
  seconds: Number(process.env.BENCH_SECONDS ?? 3),
  // A host is measured as it runs for days, not in its first seconds: V8 is still compiling the
  // connection path after 2 s of new connections, so 6 s of warm-up by default.
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 6),
  clients: Number(process.env.BENCH_CLIENTS ?? 1000),
  fixedRate: 1000,
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
};
const MANY = Number(process.env.BENCH_MANY ?? 100_000);
const MANY_SECONDS = Number(process.env.BENCH_MANY_SECONDS ?? 50);

const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
if (args.only !== undefined && args.only !== 'console-reads') {
  console.error(`--only takes console-reads, not ${args.only}`);
  process.exit(2);
}

const client = loadClient();
const dataDir = mkdtempSync(join(tmpdir(), 'quorum-bench-'));
activateDataDir(dataDir, 'desktop');

if (args.only === 'console-reads') {
  const clients = Number(process.env.BENCH_CONSOLE_CLIENTS ?? 100_000);
  const db = new Database(databasePath(dataDir));
  seedClients(db, clients, Date.now());
  db.close();
  const host = await startBenchServer('bench/host-process.ts', [dataDir]);
  const r = await consoleReadsAlone(host, settings);
  await host.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const ratio =
    r.fixedLoad.p99Ms && r.fixedLoadWithConsoleReads.p99Ms
      ? r.fixedLoadWithConsoleReads.p99Ms / r.fixedLoad.p99Ms
      : null;
  const threadCpu = (f: { activationThreadCpuUsPerActivation: number | null }) => f.activationThreadCpuUsPerActivation;
  const cpuRatio =
    threadCpu(r.fixedLoad) && threadCpu(r.fixedLoadWithConsoleReads)
      ? threadCpu(r.fixedLoadWithConsoleReads)! / threadCpu(r.fixedLoad)!
      : null;
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'activation p99 at a fixed load, without and with the console reading the client table in a loop',
        secondsPerScenario: settings.seconds,
        rounds: settings.rounds,
        warmupSeconds: settings.warmupSeconds,
        seededClients: clients,
        machine: { cpus: cpus().length, node: process.version },
        loadClient: client,
        quorum: r,
        ratios: {
          p99WithConsoleReadsVsWithout: ratio === null ? null : round(ratio, 3),
          activationThreadCpuWithConsoleReadsVsWithout: cpuRatio === null ? null : round(cpuRatio, 3),
        },
      },
      null,
      2,
    )}\n`,
  );
  process.exit(0);
}

// All four run at once, so each scenario measures them back to back (bench/scenarios.ts).
const echoServer = await startBenchServer('bench/baseline-process.ts', []);
const protocolServer = await startBenchServer('bench/floor-process.ts', [dataDir, 'protocol']);
const durableServer = await startBenchServer('bench/floor-process.ts', [dataDir, 'durable']);
const hostServer = await startBenchServer('bench/host-process.ts', [dataDir]);
const idleAfterStart = await idleMemory(hostServer);
const measured = await measureAll(
  [
    { name: 'quorum', server: hostServer, proto: 'qap' },
    { name: 'durableFloor', server: durableServer, proto: 'qap' },
    { name: 'protocolFloor', server: protocolServer, proto: 'qap' },
    { name: 'baseline', server: echoServer, proto: 'echo' },
  ],
  settings,
);
const { quorum, durableFloor, protocolFloor, baseline } = measured;
const withConsoleReads = await fixedLoadWithConsoleReads(hostServer, settings);
const quorumStorm = await bootStorm(hostServer);
const durableStorm = await bootStorm(durableServer);
const afterRounds = await idleMemory(hostServer);
const many = await manyActivations(hostServer, MANY, MANY_SECONDS);
await Promise.all([echoServer, protocolServer, durableServer, hostServer].map((s) => s.stop()));
rmSync(dataDir, { recursive: true, force: true });
const cliStart = measureCliStart();

type Result = Measured;
const ratio = (a: number | null, b: number | null) => (a && b ? round(a / b, 3) : null);
const rate = (r: Result, pattern: 'newConnection' | 'reusedConnection', w: 'workers1' | 'workers2') =>
  r[pattern][w].perSecond;
const cpu = (r: Result, pattern: 'newConnection' | 'reusedConnection') => r[pattern].workers1.serverCpuUsPerActivation;
const versus = (floor: Result) => ({
  newConnection1: ratio(rate(quorum, 'newConnection', 'workers1'), rate(floor, 'newConnection', 'workers1')),
  reusedConnection1: ratio(rate(quorum, 'reusedConnection', 'workers1'), rate(floor, 'reusedConnection', 'workers1')),
  newConnection2: ratio(rate(quorum, 'newConnection', 'workers2'), rate(floor, 'newConnection', 'workers2')),
  reusedConnection2: ratio(rate(quorum, 'reusedConnection', 'workers2'), rate(floor, 'reusedConnection', 'workers2')),
  // Host CPU per activation relative to the floor's: 1.1 means Quorum spends 10% more.
  cpuNew: ratio(cpu(quorum, 'newConnection'), cpu(floor, 'newConnection')),
  cpuReused: ratio(cpu(quorum, 'reusedConnection'), cpu(floor, 'reusedConnection')),
  p99AtFixedLoad: ratio(quorum.fixedLoad.p99Ms, floor.fixedLoad.p99Ms),
});

// The load client must not be what is measured: its CPU per call against the host's, per scenario.
const clientShare = (['newConnection', 'reusedConnection'] as const).flatMap((pattern) =>
  (['workers1', 'workers2'] as const).map((w) => {
    const s = quorum[pattern][w];
    return s.clientCpuUsPerActivation && s.serverCpuUsPerActivation
      ? s.clientCpuUsPerActivation / s.serverCpuUsPerActivation
      : 1;
  }),
);
const worstShare = round(Math.max(...clientShare), 3);

process.stdout.write(
  `${JSON.stringify(
    {
      benchmark:
        'activation over TCP: Quorum host (SQLite commit before reply, Ed25519-signed) vs a protocol floor, a durable floor and a bare TCP echo',
      secondsPerScenario: settings.seconds,
      // Every figure is a server's best of this many rounds, the servers measured back to back.
      rounds: settings.rounds,
      warmupSeconds: settings.warmupSeconds,
      // The renewal scenarios rotate through this many known clients (activated in the warm-up);
      // firstActivations and the boot storm send only clients the server has never seen.
      clientsPerWorker: settings.clients,
      machine: { cpus: cpus().length, node: process.version },
      loadClient: {
        ...client,
        // The worst ratio of the load client's CPU per call to Quorum's, over the throughput scenarios.
        clientCpuShareOfHost: worstShare,
        clientUnderHalfOfHost: worstShare < 0.5,
      },
      quorum: { ...quorum, fixedLoadWithConsoleReads: withConsoleReads },
      protocolFloor,
      durableFloor,
      baseline,
      bootStorm: { quorum: quorumStorm, durableFloor: durableStorm },
      // Host memory: idle after start, after the rounds and the boot storms, and after BENCH_MANY new clients.
      memory: { idleAfterStart, afterRounds, many },
      // Cold start of the built CLI against \`node -e 0\` in the same run.
      cliStart,
      ratios: {
        newConnection1: ratio(rate(quorum, 'newConnection', 'workers1'), rate(baseline, 'newConnection', 'workers1')),
        newConnection2: ratio(rate(quorum, 'newConnection', 'workers2'), rate(baseline, 'newConnection', 'workers2')),
        reusedConnection1: ratio(
          rate(quorum, 'reusedConnection', 'workers1'),
          rate(baseline, 'reusedConnection', 'workers1'),
        ),
        reusedConnection2: ratio(
          rate(quorum, 'reusedConnection', 'workers2'),
          rate(baseline, 'reusedConnection', 'workers2'),
        ),
        firstActivations1: ratio(
          quorum.firstActivations.reusedWorkers1.perSecond,
          baseline.firstActivations.reusedWorkers1.perSecond,
        ),
        p99AtFixedLoad: ratio(quorum.fixedLoad.p99Ms, baseline.fixedLoad.p99Ms),
        rss: ratio(quorum.rssMB, baseline.rssMB),
        // The fixed load's p99 while the console reads in a loop, against without: near 1 when reads stay off the activation thread.
        p99WithConsoleReadsVsWithout: ratio(withConsoleReads.p99Ms, quorum.fixedLoad.p99Ms),
        activationThreadCpuWithConsoleReadsVsWithout: ratio(
          withConsoleReads.activationThreadCpuUsPerActivation,
          quorum.fixedLoad.activationThreadCpuUsPerActivation,
        ),
        vsDurableFloor: {
          ...versus(durableFloor),
          firstActivations1: ratio(
            quorum.firstActivations.reusedWorkers1.perSecond,
            durableFloor.firstActivations.reusedWorkers1.perSecond,
          ),
        },
        vsProtocolFloor: versus(protocolFloor),
      },
    },
    null,
    2,
  )}\n`,
);
