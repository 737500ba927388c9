import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex } from '../../../shared/protocol/index.js';
import type { RpcListener } from '../../../src-main/rpc/listener.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { bindPdu, loadVectors, startTestListener } from './fixtures.js';

const stub = fromHex(loadVectors().request.hex);
let listener: RpcListener | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

/** Opens `n` connections that send `prefix` (maybe nothing) and then go quiet. */
async function holdIdle(port: number, n: number, prefix: (i: number) => Uint8Array | null): Promise<void> {
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, k) => {
        return new Promise<void>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port }, () => {
            const p = prefix(i + k);
            if (p) s.write(p);
            resolve();
          });
          s.on('error', () => {});
          s.once('error', reject);
          sockets.push(s);
        });
      }),
    );
  }
}

async function serveSome(n: number): Promise<number> {
  const target = listener!.addresses()[0]!;
  let ok = 0;
  for (let i = 0; i < n; i++) if ((await rpcCall(target, 0, stub, { timeoutMs: 5_000 })).byteLength === 195) ok++;
  return ok;
}

describe('slow and idle clients', () => {
  it('1,000 idle connections (silent, bound, or stuck mid-fragment) are held open while valid clients are served', async () => {
    // One address here: the per-address cap (test/attack/connection-slots.test.ts) is off.
    listener = await startTestListener({ maxConnectionsPerAddress: 0 });
    const bind = bindPdu();
    await holdIdle(listener.addresses()[0]!.port, 1_000, (i) =>
      i % 3 === 0 ? null : i % 3 === 1 ? bind : bind.subarray(0, 30),
    );
    const deadline = Date.now() + 10_000;
    while (listener.stats().open < 1_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(listener.stats().open).toBe(1_000);
    expect(await serveSome(20)).toBe(20);
    expect(listener.stats().open).toBeGreaterThanOrEqual(1_000);
    expect(listener.stats().evicted).toBe(0);
  });

  it('at the connection cap, idle connections make room and valid clients are still served', async () => {
    listener = await startTestListener({ maxConnections: 300, maxConnectionsPerAddress: 0 });
    await holdIdle(listener.addresses()[0]!.port, 300, () => null);
    const deadline = Date.now() + 10_000;
    while (listener.stats().open < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await serveSome(20)).toBe(20);
    expect(listener.stats().evicted).toBeGreaterThanOrEqual(1);
    expect(listener.stats().open).toBeLessThanOrEqual(300);
  });

  it('a client trickling one byte at a time does not hold up others and is cut off by the read timeout', async () => {
    listener = await startTestListener({ readTimeoutMs: 1_000 });
    const port = listener.addresses()[0]!.port;
    const s = connect({ host: '127.0.0.1', port });
    sockets.push(s);
    s.on('error', () => {});
    let closed = false;
    s.on('close', () => (closed = true));
    const bind = bindPdu();
    let at = 0;
    const trickle = setInterval(() => {
      if (at < bind.byteLength && !closed) s.write(bind.subarray(at, ++at));
    }, 50);
    try {
      expect(await serveSome(10)).toBe(10);
      const deadline = Date.now() + 5_000;
      while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(closed).toBe(true);
    } finally {
      clearInterval(trickle);
    }
  });
});
