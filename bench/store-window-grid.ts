/**
 * Client windows over the million-client database of bench/store-bench.ts, as a grid rather than
 * chosen cases: every text below (names, addresses and CMIDs, common and rare, one to nine
 * characters) with every sort below and each filter (none, a product, VM, seen within 7 days),
 * 100 rows each. The chosen cases of store-bench.ts missed whole classes of slow windows; this
 * grid is what tells whether the 20 ms target holds in general. Prints one JSON object: how many
 * windows took more than 20 ms, percentiles, and the slowest.
 *
 * Run after store-bench.ts has built the database: npm run bench:grid [-- --cmids random]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_PRODUCTS, DAY_MS, type ClientWindowQuery } from '../shared/domain/index.js';
import { openStore } from '../src-main/store/open-store.js';

const { values } = parseArgs({ options: { cmids: { type: 'string', default: 'structured' } } });
// The database store-bench.ts built with the same --cmids.
const FILE = resolve(
  import.meta.dirname,
  '..',
  '.bench',
  values.cmids === 'random' ? 'store-1000000-random-cmids.db' : 'store-1000000.db',
);
const NOW = Date.UTC(2026, 5, 1);
const TARGET_MS = 20;
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
  console.error(`${FILE} is missing: run npm run bench:store -- --only windows --cmids ${values.cmids} first.`);
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
const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]! * 10) / 10;
console.log(
  JSON.stringify(
    {
      windows: results.length,
      overTarget: results.filter((r) => r.ms > TARGET_MS).length,
      medianMs: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      maxMs: at(1),
      slowest: results
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 15)
        .map((r) => ({ ms: Math.round(r.ms * 10) / 10, total: r.total, window: r.window })),
    },
    null,
    2,
  ),
);
