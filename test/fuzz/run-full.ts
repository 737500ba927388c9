/**
 * The full wire fuzz run: `npm run fuzz`. 1,000,000 mutated inputs in-process and 100,000 mutated
 * PDUs over loopback sockets, each bounded to 10 minutes, then a valid client must be served.
 * Prints one JSON report; exits 1 on any failure. Set QUORUM_FUZZ_SEED to vary the inputs.
 */
import { fromHex } from '../../shared/protocol/index.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { loadVectors, signingHandler, startTestListener, vectorIdentity } from '../integration/rpc/fixtures.js';
import { fuzzInProcess, fuzzSockets } from './fuzz-lib.js';

const IN_PROCESS = 1_000_000;
const OVER_SOCKETS = 100_000;
const BOUND_MS = 10 * 60_000;
const seed = Number(process.env.QUORUM_FUZZ_SEED ?? 1);

const crashes: string[] = [];
process.on('uncaughtException', (e) => crashes.push(`uncaught: ${String(e)}`));
process.on('unhandledRejection', (e) => crashes.push(`unhandled rejection: ${String(e)}`));

const vectors = loadVectors();
const memory = (): number => Math.round(process.memoryUsage().rss / 1048576);
const rssStartMb = memory();
const inProcess = await fuzzInProcess(
  IN_PROCESS,
  BOUND_MS,
  seed,
  vectors.request.hex,
  signingHandler(vectorIdentity()),
);
const listener = await startTestListener({ readTimeoutMs: 500, idleTimeoutMs: 1_000 });
const target = listener.addresses()[0]!;
const sockets = await fuzzSockets(target, OVER_SOCKETS, BOUND_MS, seed + 1, vectors.request.hex, 32);
let servedAfter = false;
try {
  servedAfter = (await rpcCall(target, 0, fromHex(vectors.request.hex))).byteLength === 195;
} catch (e) {
  crashes.push(`valid client not served afterwards: ${String(e)}`);
}
const stats = listener.stats();
await listener.close();
const rssEndMb = memory();
const ok =
  inProcess.failures.length === 0 &&
  crashes.length === 0 &&
  inProcess.inputs >= IN_PROCESS &&
  sockets.inputs >= OVER_SOCKETS &&
  servedAfter &&
  rssEndMb - rssStartMb < 512;
process.stdout.write(
  `${JSON.stringify({ ok, seed, inProcess, sockets, servedAfter, crashes, listener: stats, rssStartMb, rssEndMb }, null, 2)}\n`,
);
process.exit(ok ? 0 : 1);
