/**
 * Runs one load: the C client (bench/load-client.c, compiled into .bench/ with the machine's cc on
 * first use) or, without a C compiler, the Node client (bench/load-worker.ts) with the same
 * arguments. Each load is its own process and reports its own CPU time over the load loop.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_TIME_AT, CMID_AT, NONCE_AT } from './qap-load-client.js';
import { writeTemplates } from './request-templates.js';

const DIR = '.bench';
const SOURCE = 'bench/load-client.c';
const BINARY = join(DIR, 'load-client');

export interface LoadSpec {
  proto: 'qap' | 'echo';
  port: number;
  seconds: number;
  /** Sessions in parallel (closed loop); ignored when `rate` is set. */
  concurrency?: number;
  /** Calls a second offered on new connections (open loop); 0 is a closed loop. */
  rate?: number;
  /** Stop after this many calls, whichever of this and `seconds` comes first. */
  max?: number;
  /** A new connection per call (bind + call), or one connection per session. */
  newConnection: boolean;
  /** Every call a client the server has never seen (a random CMID). */
  newClients?: boolean;
}

export interface LoadResult {
  count: number;
  errors: number;
  firstError: string;
  elapsedMs: number;
  /** The load client's own CPU time over its load loop. */
  cpuUs: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface LoadClientInfo {
  kind: 'c' | 'node';
  note: string;
}

let client: LoadClientInfo | null = null;

/**
 * Which client the bench uses, compiling the C client when it is missing or older than its source.
 * BENCH_LOAD_CLIENT=node forces the Node client.
 */
export function loadClient(): LoadClientInfo {
  if (client) return client;
  mkdirSync(DIR, { recursive: true });
  if (process.env.BENCH_LOAD_CLIENT === 'node') {
    client = { kind: 'node', note: "the Node client (BENCH_LOAD_CLIENT=node); its CPU per call is near the server's" };
    return client;
  }
  try {
    if (!existsSync(BINARY) || statSync(BINARY).mtimeMs < statSync(SOURCE).mtimeMs) {
      execFileSync('cc', ['-O2', '-o', BINARY, SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    client = { kind: 'c', note: `compiled ${SOURCE} with cc` };
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    client = {
      kind: 'node',
      note: `no C client (${why}); the Node client spends CPU comparable to the server's, so rates are understated`,
    };
  }
  return client;
}

const templateFiles = new Map<string, string>();

/** The templates file of a population of `clients` known clients, written once per run. */
export function templatesFor(population: string, clients: number): string {
  const key = `${population}-${clients}`;
  let file = templateFiles.get(key);
  if (!file) {
    file = join(DIR, `templates-${key}.bin`);
    writeTemplates(file, population, clients);
    templateFiles.set(key, file);
  }
  return file;
}

export function runLoad(spec: LoadSpec, templates = '', kind = loadClient().kind): Promise<LoadResult> {
  const args = [
    `proto=${spec.proto}`,
    `port=${spec.port}`,
    `seconds=${spec.seconds}`,
    `concurrency=${spec.concurrency ?? 1}`,
    `rate=${spec.rate ?? 0}`,
    `max=${spec.max ?? 2_000_000}`,
    `newconn=${spec.newConnection ? 1 : 0}`,
    `fresh=${spec.newClients ? 1 : 0}`,
    `templates=${templates}`,
    `nonceAt=${NONCE_AT}`,
    `timeAt=${CLIENT_TIME_AT}`,
    `cmidAt=${CMID_AT}`,
  ];
  const child =
    kind === 'c' ? spawn(BINARY, args) : spawn(process.execPath, ['bin/run-ts.js', 'bench/load-worker.ts', ...args]);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load client failed: ${err}`)),
    );
  });
}
