import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes, encodeRequest, fromHex, toHex } from '../../shared/protocol/index.js';
import type { RpcListener } from '../../src-main/rpc/listener.js';
import { RawClient, bindPdu, loadVectors, startTestListener } from '../integration/rpc/fixtures.js';
import { ATTACKER, sized, until } from './attack-fixtures.js';

const stub = fromHex(loadVectors().request.hex);
let listener: RpcListener | undefined;

afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

/**
 * Clients that connect, send a bind and a call, and reset the connection at once. spawnSync blocks
 * this process's event loop while they run, so the host accepts each connection only after its
 * reset: what a host deep in its accept queue under load meets.
 */
function resetEarly(port: number, n: number): void {
  const script = `
import socket, struct, sys
for i in range(${n}):
    s = socket.socket()
    s.bind((sys.argv[1], 0))
    s.connect(('127.0.0.1', ${port}))
    s.sendall(bytes.fromhex(sys.argv[2]))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    s.close()
`;
  const request = concatBytes([bindPdu(), ...encodeRequest(2, 0, 0, stub, 5_840)]);
  const run = spawnSync('/usr/bin/python3', ['-c', script, ATTACKER, toHex(request)], { timeout: 10_000 });
  expect(run.status, String(run.stderr)).toBe(0);
}

describe('attack: clients that reset the connection before the host reads their address', () => {
  it('no request is served or recorded without the real peer address', async () => {
    const seen: string[] = [];
    listener = await startTestListener({}, async (_stub, ctx) => {
      seen.push(ctx.remoteAddress);
      return new Uint8Array(8);
    });
    const port = listener.addresses()[0]!.port;
    const n = sized(20, 200);
    resetEarly(port, n);
    expect(await until(() => listener!.stats().peerGone + listener!.stats().accepted >= n, 5_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));

    // A client that stays is served and seen with its own address.
    const c = await RawClient.open(port, '127.0.0.1', ATTACKER);
    c.send(concatBytes([bindPdu(), ...encodeRequest(2, 0, 0, stub, 5_840)]));
    expect((await c.next())?.kind).toBe('bind_ack');
    expect((await c.next())?.kind).toBe('response');
    c.close();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((a) => a !== ATTACKER)).toEqual([]);
    expect(listener.stats().peerGone).toBeGreaterThan(0);
  });
});
