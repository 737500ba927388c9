/**
 * One load-generating client process. Modes: "new" opens a TCP connection per activation (the
 * normal KMS pattern), "reused" sends every activation on one connection, "rate" offers a fixed
 * rate with a new connection each. Bounded by a duration and a count; prints one JSON line with its
 * own CPU time over the load, so a client that limits the measurement shows.
 *
 * The clients it plays are a population: a name gives the same CMIDs in every worker that uses it
 * (so a warm-up can activate them and the measured requests are renewals, a real site's steady
 * state); "fresh" gives new random CMIDs (every request a first activation).
 */
import { createHash, randomUUID } from 'node:crypto';
import { BUILTIN_PRODUCTS } from '../shared/domain/products.js';
import { LicenseState } from '../shared/domain/license-state.js';
import { QapLoadConnection, requestTemplates } from './qap-load-client.js';
import { openBareTcpSession } from './wire-baseline.js';

type Kind = 'quorum' | 'baseline';
type Mode = 'new' | 'reused' | 'rate';

const [kind, mode, portText, secondsText, rateText, population = 'fresh', clientsText] = process.argv.slice(2) as [
  Kind,
  Mode,
  string,
  string,
  string?,
  string?,
  string?,
];
const port = Number(portText);
const durationMs = Number(secondsText) * 1000;
const rate = Number(rateText ?? 0);
const MAX_REQUESTS = 2_000_000;
const target = { host: '127.0.0.1', port };

const product = BUILTIN_PRODUCTS.find((p) => p.name === 'desktop')!;
const clients = Number(clientsText ?? 1000);

/** A stable CMID for client `i` of a named population. */
function populationCmid(i: number): string {
  if (population === 'fresh') return randomUUID();
  const h = createHash('sha256').update(`${population}/${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
// Encoded once per client; each call gets a fresh nonce and client time (bench/qap-load-client.ts).
const templates =
  kind === 'quorum'
    ? requestTemplates(
        Array.from({ length: clients }, (_, i) => ({
          version: 1,
          cmid: populationCmid(i),
          previousCmid: null,
          machineName: `bench-${i}`,
          applicationId: product.applicationId,
          productId: product.id,
          productGroupId: product.groupId,
          licenseState: LicenseState.Licensed,
          remainingMinutes: 259_200,
          isVm: false,
          clientTime: Date.now(),
          nonce: new Uint8Array(16),
          siteTokenMac: null,
        })),
      )
    : [];
let seq = 0;
const nextTemplate = (): Buffer => templates[++seq % templates.length]!;

async function oneNewConnection(): Promise<void> {
  if (kind === 'quorum') {
    const conn = await QapLoadConnection.open(target);
    try {
      await conn.call(nextTemplate());
    } finally {
      conn.close();
    }
    return;
  }
  const session = await openBareTcpSession(target);
  await session.call();
  session.close();
}

async function makeReused(): Promise<{ call: () => Promise<void>; close: () => void }> {
  if (kind === 'quorum') {
    const conn = await QapLoadConnection.open(target);
    return { call: () => conn.call(nextTemplate()), close: () => conn.close() };
  }
  const session = await openBareTcpSession(target);
  return { call: async () => void (await session.call()), close: () => session.close() };
}

const latencies: number[] = [];
let errors = 0;
let firstError = '';
const started = performance.now();
// The worker's own CPU over the load loop (not its start-up), so the driver can tell whether the
// client or the server is the bottleneck.
const cpuAtStart = process.cpuUsage();
const deadline = started + durationMs;

async function timed(op: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  try {
    await op();
    latencies.push(performance.now() - t0);
  } catch (e) {
    errors += 1;
    firstError ||= e instanceof Error ? e.message : String(e);
  }
}

if (mode === 'new') {
  while (performance.now() < deadline && latencies.length + errors < MAX_REQUESTS) await timed(oneNewConnection);
} else if (mode === 'reused') {
  const conn = await makeReused();
  while (performance.now() < deadline && latencies.length + errors < MAX_REQUESTS) await timed(conn.call);
  conn.close();
} else {
  // Open loop: requests start on schedule whether or not earlier ones have finished.
  const intervalMs = 1000 / rate;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; started + i * intervalMs < deadline && i < MAX_REQUESTS; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(timed(oneNewConnection));
  }
  await Promise.all(inFlight);
}
const elapsedMs = performance.now() - started;
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
