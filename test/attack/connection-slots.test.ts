import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fromHex } from '../../shared/protocol/index.js';
import type { RpcListener } from '../../src-main/rpc/listener.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { bindPdu, loadVectors, startTestListener } from '../integration/rpc/fixtures.js';
import { ATTACKER, flood, sized, until } from './attack-fixtures.js';

const stub = fromHex(loadVectors().request.hex);
let listener: RpcListener | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

/** One byte, or half a bind: connections that look busy and never finish a message. */
const halfSent = (i: number): Uint8Array => (i % 2 === 0 ? new Uint8Array([5]) : bindPdu().subarray(0, 40));

/** Activations from 127.0.0.1 (the honest client); returns how many were answered. */
async function served(n: number): Promise<number> {
  const target = listener!.addresses()[0]!;
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const reply = await rpcCall(target, 0, stub, { timeoutMs: 3_000 }).catch(() => null);
    if (reply?.byteLength === 195) ok++;
  }
  return ok;
}

describe('attack: one address takes every connection slot', () => {
  it('a flood of stalled and half-sent connections from one address is held to its cap; another address is served', async () => {
    const cap = sized(200, 2_048);
    listener = await startTestListener({ maxConnections: cap });
    const port = listener.addresses()[0]!.port;
    await flood(port, ATTACKER, sized(600, 6_000), halfSent, sockets);
    expect(await until(() => listener!.stats().accepted >= listener!.limits.maxConnectionsPerAddress, 5_000)).toBe(
      true,
    );
    expect(listener.stats().open).toBeLessThanOrEqual(listener.limits.maxConnectionsPerAddress);
    expect(listener.stats().refusedAtCap + listener.stats().evicted).toBeGreaterThan(0);
    expect(await served(sized(10, 100))).toBe(sized(10, 100));
  });

  it('at the global cap, the address holding the most connections makes room for a newcomer from another', async () => {
    // The per-address cap is off: several attacking addresses together can fill the listener.
    listener = await startTestListener({ maxConnections: 100, maxConnectionsPerAddress: 0 });
    const port = listener.addresses()[0]!.port;
    const n = sized(150, 1_500) + 30;
    await flood(port, ATTACKER, n - 30, halfSent, sockets);
    await flood(port, '127.0.0.4', 30, halfSent, sockets);
    // Every attacking connection accepted or refused, and its bytes read: none is idle.
    expect(await until(() => listener!.stats().accepted + listener!.stats().refusedAtCap >= n, 5_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(listener.stats().open).toBe(100);
    expect(await served(sized(10, 100))).toBe(sized(10, 100));
    expect(listener.stats().evicted).toBeGreaterThanOrEqual(sized(10, 100));
  });

  it('a connection that sent one byte and stalled gives up its slot once it is stalled, not at the read timeout', async () => {
    listener = await startTestListener({ maxConnectionsPerAddress: 10, stalledAfterMs: 300, readTimeoutMs: 60_000 });
    const port = listener.addresses()[0]!.port;
    const first: Socket[] = [];
    await flood(port, ATTACKER, 10, () => new Uint8Array([5]), first);
    sockets.push(...first);
    expect(await until(() => listener!.stats().open === 10, 3_000)).toBe(true);
    // Newcomers while the first ten are fresh: the address's own cap refuses them.
    await flood(port, ATTACKER, 5, () => new Uint8Array([5]), sockets);
    expect(await until(() => listener!.stats().refusedAtCap === 5, 3_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    await flood(port, ATTACKER, 10, () => new Uint8Array([5]), sockets);
    expect(await until(() => first.every((s) => s.destroyed || s.readableEnded), 3_000)).toBe(true);
    expect(listener.stats()).toMatchObject({ evicted: 10, open: 10, timeouts: 0 });
  });
});
