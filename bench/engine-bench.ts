/**
 * Engine benchmark (issue 3): requests/s at several CMID-table sizes up to 1,000,000 and bytes per
 * CMID, to show that a request costs the same whatever the table holds.
 *
 *   node --expose-gc bin/run-ts.js bench/engine-bench.ts [--sizes 1000,10000,100000,1000000] [--requests 200000]
 *
 * Per size N: a catalogue product with threshold N/2 (so the cache holds N), the table filled with N
 * distinct CMIDs, then a steady mix of renewals of random known CMIDs and new CMIDs (each evicting the
 * least recently seen). Strings are made per request, as the decoder makes them, so the memory figure
 * includes the strings the table keeps. Prints one JSON object.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { APPLICATION_OS, LicenseState, ProductCatalog, type Product } from '../shared/domain/index.js';
import { Engine } from '../src-main/engine/engine.js';
import type { ActivationInput } from '../src-main/engine/types.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string' }, requests: { type: 'string' } },
});
const sizes = (values.sizes ?? '1000,10000,100000,1000000').split(',').map(Number);
const steadyRequests = Number(values.requests ?? 200_000);
const gc = (globalThis as { gc?: () => void }).gc;

function cmidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function input(p: Product, n: number): ActivationInput {
  return {
    cmid: cmidOf(n),
    previousCmid: null,
    machineName: `PC-${n}`,
    address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    applicationId: p.applicationId,
    productId: p.id,
    productGroupId: p.groupId,
    licenseState: LicenseState.Licensed,
    remainingMinutes: 259_200,
    isVm: false,
    clientTime: 0,
  };
}

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Deterministic, cheap pseudo-random numbers so runs compare. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

interface SizeResult {
  cmids: number;
  fillRequestsPerSecond: number;
  steadyRequestsPerSecond: number;
  /** Wall-clock time per steady request; inflated when other processes share the cores. */
  nsPerRequest: number;
  /** CPU time this process spent per steady request (user + system): steadier on a shared machine. */
  cpuNsPerRequest: number;
  bytesPerCmid: number | null;
}

function runSize(size: number): SizeResult {
  const catalog = new ProductCatalog();
  const base = catalog.find('desktop')!;
  const p: Product = {
    ...base,
    id: 'bbbbbbbb-0000-4000-8000-000000000001',
    name: 'bench',
    threshold: Math.max(1, Math.floor(size / 2)),
  };
  catalog.add(p);
  let t = Date.UTC(2026, 0, 1);
  // One millisecond per request: a million requests stay far inside the 30-day lifetime.
  const engine = new Engine({ clock: { now: () => t++ }, catalog });

  const before = heapUsed();
  const fillStart = performance.now();
  for (let n = 0; n < size; n++) engine.handle(input(p, n));
  const fillMs = performance.now() - fillStart;
  const after = heapUsed();
  if (engine.count(APPLICATION_OS.id) !== size) throw new Error(`expected ${size} CMIDs in the table`);

  const random = xorshift(size);
  let next = size;
  const steadyStart = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < steadyRequests; i++) {
    const n = random() < 0.5 ? Math.floor(random() * size) : next++;
    engine.handle(input(p, n));
  }
  const steadyMs = performance.now() - steadyStart;
  const cpu = process.cpuUsage(cpuStart);
  if (engine.count(APPLICATION_OS.id) !== size) throw new Error('the table left its capacity');

  return {
    cmids: size,
    fillRequestsPerSecond: Math.round(size / (fillMs / 1000)),
    steadyRequestsPerSecond: Math.round(steadyRequests / (steadyMs / 1000)),
    nsPerRequest: Math.round((steadyMs * 1e6) / steadyRequests),
    cpuNsPerRequest: Math.round(((cpu.user + cpu.system) * 1000) / steadyRequests),
    bytesPerCmid: gc ? Math.round((after - before) / size) : null,
  };
}

// A short warm-up so the first size is not measured while the JIT is still compiling.
runSize(Math.min(1000, sizes[0] ?? 1000));
const results = sizes.map(runSize);
const smallest = results[0]!;
const largest = results[results.length - 1]!;
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'engine',
      node: process.version,
      steadyRequestsPerSize: steadyRequests,
      steadyMix: '50% renewals of random known CMIDs, 50% new CMIDs evicting the least recently seen',
      gcExposed: gc !== undefined,
      results,
      costRatioLargestToSmallest: Number((largest.nsPerRequest / smallest.nsPerRequest).toFixed(2)),
      cpuCostRatioLargestToSmallest: Number((largest.cpuNsPerRequest / smallest.cpuNsPerRequest).toFixed(2)),
    },
    null,
    2,
  )}\n`,
);
