/**
 * Client windows over a database of bench/store-bench.ts (a million clients by default), as a grid
 * rather than chosen cases: every text below (names, addresses and CMIDs, common and rare, one to
 * nine characters) with every sort below and each filter (none, a product, VM, seen within 7
 * days), 100 rows each. Prints one JSON object: how many windows took longer than the target
 * (20 ms up to 100,000 clients, 100 ms beyond), or longer than a second, percentiles, the slowest.
 *
 * Run after store-bench.ts has built the database:
 *   npm run bench:grid [-- --clients 100000] [-- --cmids random] [-- --out windows.json]
 * `--out` also writes every window's time and total to a file, slowest first.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_PRODUCTS, DAY_MS, type ClientWindowQuery } from '../shared/domain/index.js';
import { openStore } from '../src-main/store/open-store.js';

const { values } = parseArgs({
  options: {
    cmids: { type: 'string', default: 'structured' },
    clients: { type: 'string', default: '1000000' },
    out: { type: 'string' },
  },
});
// The database store-bench.ts built with the same --clients and --cmids.
const FILE = resolve(
  import.meta.dirname,
  '..',
  '.bench',
  `store-${values.clients}${values.cmids === 'random' ? '-random-cmids' : ''}.db`,
);
const NOW = Date.UTC(2026, 5, 1);
// The targets: every window under 20 ms at p95 at 100,000 clients; at a million, p95 under 100 ms.
const TARGET_MS = Number(values.clients) <= 100_000 ? 20 : 100;
const RUNS = 3;

const TEXTS = [
  ...['pc-1', 'pc-12', 'pc-123', 'pc-1234', 'pc-0000000', 'c-9', '9-9', '5-1', 'desk', 'zz'],
  ...['-1', '-12', '-123', '-1234', '-12345', '-99', '99', '999', '9999', '99999', '-9999-'],
  ...['10.', '10.2', '10.20', '10.20.3', '.1.', '1.1', '.255', 'fd00::', 'unknown'],
  ...['0000', '-0000', '8000', '4000-8000', '00000000', '9e37', 'e3779b1'],
];
const SORTS: ClientWindowQuery['sort'][] = [
  { column: 'lastSeen', direction: 'desc' },
  { column: 'machineName', direction: 'asc' },
  { column: 'machineName', direction: 'desc' },
  { column: 'address', direction: 'asc' },
  { column: 'cmid', direction: 'asc' },
];
const FILTERS: ClientWindowQuery['filter'][] = [
  {},
  { productId: BUILTIN_PRODUCTS[0]!.id },
  { isVm: true },
  { seenWithinMs: 7 * DAY_MS },
];

if (!existsSync(FILE)) {
  console.error(
    `${FILE} is missing: run npm run bench:store -- --only windows --clients ${values.clients} --cmids ${values.cmids} first.`,
  );
  process.exit(2);
}
const store = openStore({ file: FILE, clock: { now: () => NOW } });
const results: { ms: number; window: string; total: string }[] = [];
for (const text of TEXTS) {
  for (const sort of SORTS) {
    for (const filter of FILTERS) {
      const q: ClientWindowQuery = { offset: 0, limit: 100, sort, filter: { ...filter, text } };
      const samples: number[] = [];
      let total = '';
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const w = store.queryClients(q);
        samples.push(performance.now() - t0);
        total = `${w.total}${w.totalIsLowerBound ? '+' : ''}`;
      }
      samples.sort((a, b) => a - b);
      const label = `"${text}", ${sort.column} ${sort.direction}, ${JSON.stringify(filter)}`;
      results.push({ ms: samples[Math.floor(RUNS / 2)]!, window: label, total });
    }
  }
}
store.close();
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
results.sort((a, b) => b.ms - a.ms);
if (values.out)
  writeFileSync(
    values.out,
    `${JSON.stringify(
      results.map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10 })),
      null,
      1,
    )}\n`,
  );
const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]! * 10) / 10;
console.log(
  JSON.stringify(
    {
      clients: Number(values.clients),
      windows: results.length,
      targetMs: TARGET_MS,
      overTarget: results.filter((r) => r.ms > TARGET_MS).length,
      over1s: results.filter((r) => r.ms > 1000).length,
      medianMs: at(0.5),
      p90Ms: at(0.9),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      maxMs: at(1),
      slowest: results.slice(0, 15).map((r) => ({ ms: Math.round(r.ms * 10) / 10, total: r.total, window: r.window })),
    },
    null,
    2,
  ),
);
