/**
 * Store benchmark (issue 5). Prints one JSON object:
 * - writes/s with group commit vs one transaction per activation, same workload, same run (replies,
 *   and the journal applied to the inventory);
 * - the time to upgrade the million-client database, when it was built by an older schema;
 * - time of 100-row windows, sorted and filtered, over 1,000,000 clients;
 * - open + engine-snapshot time and RSS of a fresh process on that database.
 * Run: node bin/run-ts.js bench/store-bench.ts [--clients N] [--writes N] [--rebuild] [--only windows|writes]
 *      [--cmids structured|random]
 * The million-client database is built once under .bench/ (gitignored) and reused.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APPLICATION_OS, BUILTIN_PRODUCTS, DAY_MS, type ClientWindowQuery } from '../shared/domain/index.js';
import { ClientQueries, cursorOf, type ClientPageQuery } from '../src-main/store/client-query.js';
import { openStore } from '../src-main/store/open-store.js';
import type { ActivationRecord } from '../src-main/store/types.js';
import { seedClients, structuredCmidOf } from './seed-clients.js';

const ROOT = resolve(import.meta.dirname, '..');
const BENCH_DIR = resolve(ROOT, '.bench');
const NOW = Date.UTC(2026, 5, 1);

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000000' },
    writes: { type: 'string', default: '20000' },
    rebuild: { type: 'boolean', default: false },
    // Group commit runs, this many times (the machine is shared; the median is reported).
    rounds: { type: 'string', default: '3' },
    'probe-startup': { type: 'string' },
    // Run only part of it: `windows` (reads of the big database) or `writes` (the write path).
    only: { type: 'string' },
    // The big database's CMIDs: `structured` (00000000-0000-4000-8000-0000xxxxxxxx, the default, as every
    // figure so far) or `random` (as clients make them), built in a file of its own.
    cmids: { type: 'string', default: 'structured' },
  },
});

function cmidOf(n: number): string {
  return structuredCmidOf(n);
}

function record(n: number, at: number): ActivationRecord {
  const p = BUILTIN_PRODUCTS[n % BUILTIN_PRODUCTS.length]!;
  const cmid = cmidOf(n);
  const machineName = `pc-${n}`;
  const address = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  return {
    at,
    input: {
      cmid,
      previousCmid: null,
      machineName,
      address,
      applicationId: p.applicationId,
      productId: p.id,
      productGroupId: p.groupId,
      licenseState: 1,
      remainingMinutes: 259_000,
      isVm: n % 3 === 0,
      clientTime: at,
    },
    decision: {
      result: 'granted',
      granted: true,
      count: 60,
      threshold: p.threshold,
      activationIntervalMin: 120,
      renewalIntervalMin: 10_080,
      validityMin: 259_200,
      hostTime: at,
    },
    changes: [
      {
        kind: 'cmid-upsert',
        entry: { applicationId: p.applicationId, cmid, lastSeen: at, machineName, address, productId: p.id },
      },
    ],
  };
}

/** Startup probe, run in a fresh process: open + snapshot time and resident memory. */
if (values['probe-startup']) {
  const t0 = performance.now();
  const store = openStore({ file: values['probe-startup'], clock: { now: () => NOW } });
  const snapshot = store.loadEngineSnapshot();
  const openMs = performance.now() - t0;
  const first = store.queryClients({
    offset: 0,
    limit: 100,
    sort: { column: 'lastSeen', direction: 'desc' },
    filter: {},
  });
  const firstWindowMs = performance.now() - t0 - openMs;
  const rssMB = round(process.memoryUsage().rss / 2 ** 20);
  store.close();
  process.stdout.write(
    JSON.stringify({
      openAndSnapshotMs: round(openMs),
      firstWindowMs: round(firstWindowMs),
      total: first.total,
      snapshotCmids: snapshot.cmids.length,
      rssMB,
    }),
  );
  process.exit(0);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function stats(samples: number[]): { medianMs: number; p95Ms: number; maxMs: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(s.at(-1)!) };
}

/** Builds the big database straight through SQL: one transaction, prepared statements. */
function buildBig(file: string, clients: number): number {
  const t0 = performance.now();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  openStore({ file }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  seedClients(db, clients, NOW, values.cmids === 'random' ? 'random' : 'structured');
  db.transaction(() => {
    const cm = db.prepare('INSERT INTO cmids VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 50; i++)
      cm.run(APPLICATION_OS.id, cmidOf(i), NOW - i * 1000, `pc-${i}`, '10.0.0.1', BUILTIN_PRODUCTS[0]!.id);
    db.prepare('INSERT INTO capacities VALUES (?, 50)').run(APPLICATION_OS.id);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return round((performance.now() - t0) / 1000);
}

async function writeThroughput(maxBatch: number, writes: number, concurrency: number) {
  const file = resolve(BENCH_DIR, `writes-${maxBatch}.db`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const store = openStore({ file, maxBatch, clock: { now: () => NOW } });
  // Warm-up, then the measured run: `concurrency` activations in flight, as from that many connections.
  // A third are renewals of known clients, the rest new clients.
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let next = 0;
  const distinct = Math.ceil((writes * 2) / 3);
  async function worker(): Promise<void> {
    while (next < writes) {
      const i = next++;
      await store.commitActivation(record(i % distinct, NOW + i));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  // Replies wait only for the journal; the inventory and its indexes are written when it is applied.
  store.applyPending();
  const appliedSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const s = store.stats();
  store.close();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  return {
    maxBatch,
    concurrency,
    writes,
    perSecond: Math.round(writes / seconds),
    perSecondApplied: Math.round(writes / appliedSeconds),
    cpuMicrosPerWrite: round((cpu.user + cpu.system) / writes),
    commits: s.commits,
    meanBatch: round(s.meanBatch),
  };
}

function windows(file: string) {
  const store = openStore({ file, clock: { now: () => NOW } });
  const desktop = BUILTIN_PRODUCTS[0]!.id;
  const q = (
    label: string,
    sort: ClientWindowQuery['sort'],
    filter: ClientWindowQuery['filter'],
    offset = 0,
  ): [string, ClientWindowQuery] => [label, { offset, limit: 100, sort, filter }];
  const cases = [
    q('lastSeen desc, no filter', { column: 'lastSeen', direction: 'desc' }, {}),
    q('lastSeen desc, product', { column: 'lastSeen', direction: 'desc' }, { productId: desktop }),
    q(
      'machineName asc, product + license state + VM',
      { column: 'machineName', direction: 'asc' },
      { productId: desktop, licenseState: 1, isVm: true },
    ),
    q('requestCount desc, license state', { column: 'requestCount', direction: 'desc' }, { licenseState: 3 }),
    q('productName asc, VM', { column: 'productName', direction: 'asc' }, { isVm: true }),
    q('address asc, seen within 1 day', { column: 'address', direction: 'asc' }, { seenWithinMs: DAY_MS }),
    q('lastSeen desc, seen within 7 days', { column: 'lastSeen', direction: 'desc' }, { seenWithinMs: 7 * DAY_MS }),
    q('machineName asc, text "pc-12345"', { column: 'machineName', direction: 'asc' }, { text: 'pc-12345' }),
    q('lastSeen desc, text "10.20.30" (rare)', { column: 'lastSeen', direction: 'desc' }, { text: '10.20.30.' }),
    q(
      'lastSeen desc, product, page at offset 10,000',
      { column: 'lastSeen', direction: 'desc' },
      { productId: desktop },
      10_000,
    ),
    q(
      'lastSeen desc, product, page at offset 100,000',
      { column: 'lastSeen', direction: 'desc' },
      { productId: desktop },
      100_000,
    ),
    q('machineName asc, no filter, page at offset 500,000', { column: 'machineName', direction: 'asc' }, {}, 500_000),
    q(
      'firstSeen asc, license state + VM, page at offset 10,000',
      { column: 'firstSeen', direction: 'asc' },
      { licenseState: 5, isVm: false },
      10_000,
    ),
    q(
      'address asc, product + seen within 7 days',
      { column: 'address', direction: 'asc' },
      { productId: desktop, seenWithinMs: 7 * DAY_MS },
    ),
    q('machineName asc, text "pc-" (matches all)', { column: 'machineName', direction: 'asc' }, { text: 'pc-' }),
    q('machineName asc, text "pc-1" (matches 10%)', { column: 'machineName', direction: 'asc' }, { text: 'pc-1' }),
    q(
      'machineName asc, text "-00012" (rare, every trigram common)',
      { column: 'machineName', direction: 'asc' },
      { text: '-00012' },
    ),
    q('cmid asc, VM, page at offset 10,000', { column: 'cmid', direction: 'asc' }, { isVm: true }, 10_000),
    q('cmid asc, VM', { column: 'cmid', direction: 'asc' }, { isVm: true }),
    q('productName desc, VM', { column: 'productName', direction: 'desc' }, { isVm: true }),
    q(
      'lastSeen desc, text "pc" (2 characters, no full-text search)',
      { column: 'lastSeen', direction: 'desc' },
      {
        text: 'pc',
      },
    ),
    q(
      'machineName desc, text "pc-1" (matches sort first, walked from the end)',
      { column: 'machineName', direction: 'desc' },
      { text: 'pc-1' },
    ),
    q('lastSeen desc, text "-9" (2 characters, in 20%)', { column: 'lastSeen', direction: 'desc' }, { text: '-9' }),
    q(
      'lastSeen desc, product + text "-9"',
      { column: 'lastSeen', direction: 'desc' },
      { productId: desktop, text: '-9' },
    ),
    q(
      'lastSeen desc, product + text "-12" (in 2%)',
      { column: 'lastSeen', direction: 'desc' },
      { productId: desktop, text: '-12' },
    ),
    q(
      'requestCount desc, VM + text "10.1" (addresses)',
      { column: 'requestCount', direction: 'desc' },
      { isVm: true, text: '10.1' },
    ),
    q(
      'lastSeen desc, text "pc-12" (in 1%, just over the count cap)',
      { column: 'lastSeen', direction: 'desc' },
      { text: 'pc-12' },
    ),
    q(
      'lastSeen desc, text "10.20." (3,955 clients, every trigram common)',
      { column: 'lastSeen', direction: 'desc' },
      { text: '10.20.' },
    ),
    q('address asc, text "10.1"', { column: 'address', direction: 'asc' }, { text: '10.1' }),
    q(
      'lastSeen desc, product + text "pc-1"',
      { column: 'lastSeen', direction: 'desc' },
      {
        productId: desktop,
        text: 'pc-1',
      },
    ),
  ];
  const out: Record<string, unknown> = {};
  for (const [label, query] of cases) {
    const samples: number[] = [];
    let total = 0;
    let totalIsLowerBound = false;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const w = store.queryClients(query);
      samples.push(performance.now() - t0);
      total = w.total;
      totalIsLowerBound = w.totalIsLowerBound ?? false;
    }
    out[label] = { ...stats(samples.slice(3)), total, ...(totalIsLowerBound ? { totalIsLowerBound } : {}) };
  }
  // Keyset paging (not yet in the console contract): the page after the row at a given depth.
  const pages = new ClientQueries(store.db);
  const queryOf = (label: string) => cases.find(([l]) => l === label)![1];
  const keyset: [string, ClientWindowQuery, number][] = [
    [
      'lastSeen desc, product, keyset page after row 100,000',
      queryOf('lastSeen desc, product, page at offset 100,000'),
      99_999,
    ],
    [
      'machineName asc, no filter, keyset page after row 500,000',
      queryOf('machineName asc, no filter, page at offset 500,000'),
      499_999,
    ],
    ['productName asc, VM, keyset page after row 200,000', queryOf('productName asc, VM'), 199_999],
    ['cmid asc, VM, keyset page after row 100,000', queryOf('cmid asc, VM'), 99_999],
  ];
  for (const [label, query, depth] of keyset) {
    const last = store.queryClients({ ...query, offset: depth, limit: 1 }).rows[0];
    // A smaller database (--clients) has no row that deep.
    if (!last) continue;
    const page: ClientPageQuery = { ...query, offset: 0, after: cursorOf(last, query.sort.column) };
    const samples: number[] = [];
    let total = 0;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      total = pages.window(page, NOW).total;
      samples.push(performance.now() - t0);
    }
    out[label] = { ...stats(samples.slice(3)), total };
  }
  store.close();
  return out;
}

mkdirSync(BENCH_DIR, { recursive: true });
const clients = Number(values.clients);
const writes = Number(values.writes);
if (values.cmids !== 'structured' && values.cmids !== 'random') {
  console.error(`--cmids must be structured or random, not ${values.cmids}`);
  process.exit(2);
}
const bigFile = resolve(BENCH_DIR, `store-${clients}${values.cmids === 'random' ? '-random-cmids' : ''}.db`);
const result: Record<string, unknown> = {
  clients,
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
};
if (values.rebuild || !existsSync(bigFile)) result.buildSeconds = buildBig(bigFile, clients);
else {
  // A database built by an older schema is upgraded here, once: that is the cost an installation pays.
  const t = performance.now();
  openStore({
    file: bigFile,
    onMigrated: (r) => {
      if (r.backup) rmSync(r.backup, { force: true });
      result.upgrade = { from: r.from, to: r.to, seconds: round((performance.now() - t) / 1000) };
    },
  }).close();
}

type Throughput = Awaited<ReturnType<typeof writeThroughput>>;
if (values.only !== 'windows') {
  const rounds: Throughput[] = [];
  for (let i = 0; i < Number(values.rounds); i++) rounds.push(await writeThroughput(1000, writes, 256));
  const sorted = [...rounds].sort((a, b) => a.perSecondApplied - b.perSecondApplied);
  result.writes = {
    groupCommit: {
      ...sorted[Math.floor(sorted.length / 2)]!,
      rounds: rounds.map((r) => r.perSecond),
      roundsApplied: rounds.map((r) => r.perSecondApplied),
      roundsCpuMicros: rounds.map((r) => r.cpuMicrosPerWrite),
    },
    oneTransactionPerWrite: await writeThroughput(1, writes, 256),
    groupCommitSequentialCaller: await writeThroughput(1000, Math.min(writes, 5000), 1),
  };
}

if (values.only !== 'writes') {
  const t0 = performance.now();
  const probe = JSON.parse(
    execFileSync(process.execPath, ['bin/run-ts.js', 'bench/store-bench.ts', '--probe-startup', bigFile], {
      cwd: ROOT,
    }).toString(),
  ) as Record<string, unknown>;
  result.startup = { ...probe, processWallMs: round(performance.now() - t0) };
  result.windows = windows(bigFile);
}
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
