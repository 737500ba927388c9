import { describe, expect, it } from 'vitest';
import { fromHex } from '../../shared/protocol/index.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { loadVectors, signingHandler, startTestListener, vectorIdentity } from '../integration/rpc/fixtures.js';
import { fuzzInProcess, fuzzSockets } from './fuzz-lib.js';

// The CI sample. The full run (1,000,000 in-process, 100,000 over sockets) is `npm run fuzz`.
const vectors = loadVectors();

describe('wire fuzz sample', () => {
  it('20,000 mutated inputs in-process: codecs and the state machine throw nothing but QuorumErrors', async () => {
    const report = await fuzzInProcess(20_000, 20_000, 1, vectors.request.hex, signingHandler(vectorIdentity()));
    expect(report.failures).toEqual([]);
    expect(report.inputs).toBe(20_000);
  });

  it('2,000 mutated PDUs over sockets: the host stays up, memory stays bounded, a valid client is served after', async () => {
    const listener = await startTestListener({ readTimeoutMs: 500, idleTimeoutMs: 1_000 });
    try {
      const target = listener.addresses()[0]!;
      const rssBefore = process.memoryUsage().rss;
      const report = await fuzzSockets(target, 2_000, 30_000, 2, vectors.request.hex);
      expect(report.inputs).toBeGreaterThanOrEqual(2_000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 << 20);
      expect((await rpcCall(target, 0, fromHex(vectors.request.hex))).byteLength).toBe(195);
      const deadline = Date.now() + 5_000;
      while (listener.stats().open > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(listener.stats().open).toBe(0);
    } finally {
      await listener.close();
    }
  });
});
