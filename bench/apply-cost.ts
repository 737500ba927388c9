/**
 * What a first activation costs the store when the journal is applied (the inventory row, its
 * indexes and text index, the request log, the CMID table, the counters), and what a client
 * takes on disk. Prints one JSON object.
 *
 * On a copy of the database bench/store-bench.ts built (`--clients N`, .bench/store-N.db), it
 * appends `--writes` first activations to the activation journal, as a host that stopped before
 * applying them leaves it, and opens the store, which applies them before anything reads. The
 * apply is that open's CPU time less the same open's with an empty journal, per activation; the
 * median of `--rounds` copies. It uses only what every schema since the journal has
 * (openStore, the journal table), so the same file runs against an older checkout for a before
 * and after.
 *
 * Run: node bin/run-ts.js bench/apply-cost.ts [--clients 100000] [--writes 20000] [--rounds 7]
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_PRODUCTS, DAY_MS } from '../shared/domain/index.js';
import { openStore } from '../src-main/store/open-store.js';
import type { ActivationRecord } from '../src-main/store/types.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    writes: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '7' },
  },
});
const CLIENTS = Number(values.clients);
const WRITES = Number(values.writes);
const NOW = Date.UTC(2026, 5, 1);
const BENCH_DIR = resolve(import.meta.dirname, '..', '.bench');
const SOURCE = resolve(BENCH_DIR, `store-${CLIENTS}.db`);
const COPY = resolve(BENCH_DIR, 'apply-cost.db');

/** Client n's first activation, shaped as store-bench.ts shapes its clients (n past the database's). */
function firstActivation(n: number): ActivationRecord {
  const p = BUILTIN_PRODUCTS[n % BUILTIN_PRODUCTS.length]!;
  const h = (n * 2654435761) >>> 0;
  const cmid = `00000000-0000-4000-8000-${h.toString(16).padStart(12, '0')}`;
  const machineName = `pc-${(h % 10_000_000).toString().padStart(7, '0')}-${n}`;
  const address = `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
  const at = NOW - (h % DAY_MS);
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

function remove(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

function bytes(file: string): number {
  return [file, `${file}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
}

/** CPU microseconds of opening the store, which applies the journal (its close, a checkpoint, is not counted). */
function openCpu(file: string): number {
  const cpu = process.cpuUsage();
  const store = openStore({ file, clock: { now: () => NOW } });
  const used = process.cpuUsage(cpu);
  store.close();
  const fd = openSync(file, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return used.user + used.system;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

if (!existsSync(SOURCE)) {
  console.error(
    `${SOURCE} is missing: run node bin/run-ts.js bench/store-bench.ts --clients ${CLIENTS} --only windows`,
  );
  process.exit(2);
}
// The source as a store leaves it: upgraded to this checkout's schema and checkpointed.
openStore({ file: SOURCE, onMigrated: (r) => r.backup && rmSync(r.backup, { force: true }) }).close();
const applyUs: number[] = [];
const emptyUs: number[] = [];
const grownBytes: number[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  remove(COPY);
  copyFileSync(SOURCE, COPY);
  // The copy's pages on disk first, so that the kernel's write-back of it is not measured below.
  const fd = openSync(COPY, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  emptyUs.push(openCpu(COPY));
  const before = bytes(COPY);
  const db = new Database(COPY);
  const append = db.prepare('INSERT INTO activation_journal (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < WRITES; i++) {
      const n = CLIENTS + round * WRITES + i;
      append.run(JSON.stringify({ kind: 'activation', record: firstActivation(n) }));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  applyUs.push(openCpu(COPY));
  const check = new Database(COPY);
  const left = check.prepare('SELECT COUNT(*) FROM activation_journal').pluck().get() as number;
  check.pragma('wal_checkpoint(TRUNCATE)');
  check.close();
  if (left !== 0) throw new Error(`${left} journal rows were not applied`);
  grownBytes.push(bytes(COPY) - before);
}
remove(COPY);
const round1 = (x: number) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify(
    {
      clients: CLIENTS,
      firstActivations: WRITES,
      rounds: applyUs.length,
      applyCpuUsPerFirstActivation: round1((median(applyUs) - median(emptyUs)) / WRITES),
      applyCpuUsRounds: applyUs.map((us, i) => round1((us - emptyUs[i]!) / WRITES)),
      // The file grows by whole pages and keeps freed ones, so this is rough; the database's size is exact.
      fileBytesPerFirstActivation: Math.round(median(grownBytes) / WRITES),
      databaseMB: round1(statSync(SOURCE).size / 2 ** 20),
      databaseBytesPerClient: Math.round(statSync(SOURCE).size / CLIENTS),
    },
    null,
    2,
  ),
);
