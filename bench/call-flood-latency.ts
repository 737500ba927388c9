/**
 * `node bin/run-ts.js bench/call-flood-latency.ts`: an honest client's latency on 127.0.0.1 while
 * eight connections from 127.0.0.3 send wrong-opnum calls as fast as the host reads them (the
 * listener with its default limits and the wire tests' signing handler). Prints one JSON object.
 */
import type { Socket } from 'node:net';
import { concatBytes, encodeRequest, fromHex } from '../shared/protocol/index.js';
import { openRpcSession } from '../src-main/rpc/rpc-client.js';
import { bindPdu, loadVectors, startTestListener } from '../test/integration/rpc/fixtures.js';
import { ATTACKER, openFrom } from '../test/attack/attack-fixtures.js';

const CALLS = 300;
const MAX_MS = 15_000;

const stub = fromHex(loadVectors().request.hex);
const listener = await startTestListener();
const port = listener.addresses()[0]!.port;
const flooders: Socket[] = [];
const burst = concatBytes(Array.from({ length: 500 }, () => concatBytes(encodeRequest(2, 0, 1, stub, 5_840))));
let stop = false;
for (let c = 0; c < 8; c++) {
  const s = await openFrom(port, ATTACKER, bindPdu());
  if (!s) throw new Error('the flood could not connect');
  s.on('data', () => {});
  flooders.push(s);
  const pump = (): void => {
    if (stop || s.destroyed) return;
    if (s.write(burst)) setImmediate(pump);
    else s.once('drain', pump);
  };
  pump();
}
await new Promise((r) => setTimeout(r, 500));

const session = await openRpcSession(listener.addresses()[0]!);
const latencies: number[] = [];
const started = Date.now();
while (latencies.length < CALLS && Date.now() - started < MAX_MS) {
  const t = performance.now();
  await session.call(0, stub, 10_000).catch(() => null);
  latencies.push(performance.now() - t);
}
stop = true;
latencies.sort((a, b) => a - b);
const at = (q: number) =>
  Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!.toFixed(2));
const stats = listener.stats();
process.stdout.write(
  `${JSON.stringify({
    calls: latencies.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    elapsedMs: Date.now() - started,
    floodFaultsAnswered: stats.faults - stats.rateLimited,
    rateLimited: stats.rateLimited,
  })}\n`,
);
session.close();
for (const s of flooders) s.destroy();
await listener.close();
