/**
 * Fixed hosts over real DCE/RPC on loopback, IPv4 and IPv6: failover from a silent host, and a
 * host key that changes at a pinned address.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src-main/client/client.js';
import type { ClientEvent } from '../../../src-main/client/events.js';
import { startRpcTestHost, type RpcTestHost } from './support/rpc-test-host.js';

const clock = { now: () => Date.now() };
let dir: string;
const cleanup: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-static-client-'));
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await rm(dir, { recursive: true, force: true });
});

async function rpcHost(seedByte: number, address: '127.0.0.1' | '::1' = '127.0.0.1', port = 0): Promise<RpcTestHost> {
  const h = await startRpcTestHost(clock, seedByte, {}, port, address);
  cleanup.push(() => h.listener.close());
  return h;
}

/** Accepts connections and never says a word: a hung host. */
async function silentHost(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as { port: number }).port;
}

describe('client with fixed hosts', () => {
  it('activates over IPv6 ([::1]:PORT) and caches the host', async () => {
    const h = await rpcHost(5, '::1');
    const out = await createClient({
      stateFile: join(dir, 's.json'),
      product: 'office',
      hosts: [`[::1]:${h.port}`],
      machineName: 'v6-pc',
    }).activateOnce();
    expect(out).toMatchObject({ activated: true, host: `[::1]:${h.port}` });
    expect(out.status.cachedHost).toBe(`[::1]:${h.port}`);
    expect(h.host.requests[0]!.machineName).toBe('v6-pc');
  });

  it('gives up on a host that accepts but never answers, after the timeout, and uses the next', async () => {
    const silent = await silentHost();
    const live = await rpcHost(6);
    const events: ClientEvent[] = [];
    const out = await createClient({
      stateFile: join(dir, 's.json'),
      product: 'server',
      hosts: [`127.0.0.1:${silent}`, `127.0.0.1:${live.port}`],
      timeoutMs: 300,
      onEvent: (e) => events.push(e),
    }).activateOnce();
    expect(out.activated).toBe(true);
    expect(events.find((e) => e.type === 'host-failed')).toMatchObject({
      host: `127.0.0.1:${silent}`,
      code: 'RPC_TIMEOUT',
    });
  });

  it('refuses a new key at a pinned address over the wire, and keeps the old pin', async () => {
    const first = await rpcHost(7);
    const options = { stateFile: join(dir, 's.json'), product: 'desktop', hosts: [`127.0.0.1:${first.port}`] };
    expect((await createClient(options).activateOnce()).activated).toBe(true);
    await first.listener.close();
    const impostor = await rpcHost(8, '127.0.0.1', first.port);
    const out = await createClient(options).activateOnce();
    expect(out.activated).toBe(false);
    expect(out.error?.code).toBe('CLIENT_HOST_KEY_MISMATCH');
    expect(out.error?.message).toContain(first.host.identity.fingerprint);
    expect(out.error?.message).toContain(impostor.host.identity.fingerprint);
    expect(out.status.pins).toEqual({ [`127.0.0.1:${first.port}`]: first.host.identity.fingerprint });
  });
});
