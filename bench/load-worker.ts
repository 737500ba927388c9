/**
 * The Node load client: the fallback for bench/load-client.c where no C compiler is found, with the
 * same key=value arguments and the same one-line JSON result (see that file). A Node client spends
 * about as much CPU per new connection as the host, so its figures say less; the bench notes it.
 */
import { QapLoadConnection } from './qap-load-client.js';
import { readTemplates } from './request-templates.js';
import { openBareTcpSession } from './wire-baseline.js';

const args = new Map(
  process.argv.slice(2).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const),
);
const num = (key: string, fallback: number) => Number(args.get(key) ?? fallback);
const proto = args.get('proto') === 'echo' ? 'echo' : 'qap';
const target = { host: '127.0.0.1', port: num('port', 0) };
const durationMs = num('seconds', 4) * 1000;
const concurrency = num('concurrency', 1);
const rate = num('rate', 0);
const maxCalls = num('max', 2_000_000);
const newConnection = num('newconn', 1) === 1;
const newClients = num('fresh', 0) === 1;
const templates = proto === 'qap' ? readTemplates(args.get('templates') ?? '').requests : [];

let seq = 0;
const nextTemplate = (): Buffer => templates[++seq % templates.length]!;

interface Session {
  call(): Promise<void>;
  close(): void;
}

async function openSession(): Promise<Session> {
  if (proto === 'qap') {
    const conn = await QapLoadConnection.open(target);
    return { call: () => conn.call(nextTemplate(), newClients), close: () => conn.close() };
  }
  const session = await openBareTcpSession(target);
  return { call: async () => void (await session.call()), close: () => session.close() };
}

async function oneNewConnection(): Promise<void> {
  const session = await openSession();
  try {
    await session.call();
  } finally {
    session.close();
  }
}

const latencies: number[] = [];
let errors = 0;
let firstError = '';
let started = 0;
const t0 = performance.now();
// The worker's own CPU over the load loop (not its start-up), so the driver can tell whether the
// client or the server is the bottleneck.
const cpuAtStart = process.cpuUsage();
const deadline = t0 + durationMs;
const mayStart = () => performance.now() < deadline && started < maxCalls && errors < 1000;

async function timed(op: () => Promise<void>): Promise<void> {
  started += 1;
  const t = performance.now();
  try {
    await op();
    latencies.push(performance.now() - t);
  } catch (e) {
    errors += 1;
    firstError ||= e instanceof Error ? e.message : String(e);
  }
}

async function closedLoop(): Promise<void> {
  if (newConnection) {
    while (mayStart()) await timed(oneNewConnection);
    return;
  }
  let session: Session | null = null;
  while (mayStart()) {
    await timed(async () => {
      session ??= await openSession();
      await session.call().catch((e: unknown) => {
        session?.close();
        session = null;
        throw e;
      });
    });
  }
  (session as Session | null)?.close();
}

if (rate > 0) {
  // Open loop: calls start on schedule whether or not earlier ones have ended.
  const intervalMs = 1000 / rate;
  const inFlight: Promise<void>[] = [];
  while (mayStart()) {
    const wait = t0 + started * intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(timed(oneNewConnection));
  }
  await Promise.all(inFlight);
} else {
  await Promise.all(Array.from({ length: concurrency }, closedLoop));
}
const elapsedMs = performance.now() - t0;
const cpu = process.cpuUsage(cpuAtStart);
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
process.stdout.write(
  `${JSON.stringify({
    count: latencies.length,
    errors,
    firstError,
    elapsedMs,
    cpuUs: cpu.user + cpu.system,
    p50Ms: pct(50),
    p99Ms: pct(99),
  })}\n`,
);
