import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes, encodeRequest, fromHex } from '../../shared/protocol/index.js';
import type { ActivateHandler, RpcListener } from '../../src-main/rpc/listener.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import {
  RawClient,
  bindPdu,
  loadVectors,
  signingHandler,
  startTestListener,
  vectorIdentity,
} from '../integration/rpc/fixtures.js';
import { ATTACKER, flood, sized, until } from './attack-fixtures.js';
import type { Socket } from 'node:net';

const stub = fromHex(loadVectors().request.hex);
let listener: RpcListener | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

describe('attack: exceptions inside the RPC layer', () => {
  it('a handler whose reply cannot be sent, and a log that throws, cost one connection each; the host keeps serving', async () => {
    const good = signingHandler(vectorIdentity());
    let calls = 0;
    // Every other call resolves to something that is not bytes: encoding the reply throws.
    const handler: ActivateHandler = (s, ctx) =>
      ++calls % 2 === 1 ? Promise.resolve(null as unknown as Uint8Array) : good(s, ctx);
    listener = await startTestListener({}, handler, ['127.0.0.1'], () => {
      throw new Error('the log is gone');
    });
    const port = listener.addresses()[0]!.port;
    const broken = await RawClient.open(port, '127.0.0.1', ATTACKER);
    broken.send(concatBytes([bindPdu(), ...encodeRequest(2, 0, 0, stub, 5_840)]));
    expect((await broken.next())?.kind).toBe('bind_ack');
    expect(await broken.waitClosed(3_000)).toBe(true);
    expect(listener.stats().internalErrors).toBeGreaterThanOrEqual(1);

    // Garbage makes the connection log its problem: the log throws, the connection still closes.
    const garbage = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
    await flood(port, ATTACKER, sized(5, 50), () => garbage, sockets);
    expect(await until(() => sockets.every((s) => s.destroyed || s.readableEnded), 3_000)).toBe(true);

    expect((await rpcCall(listener.addresses()[0]!, 0, stub, { timeoutMs: 3_000 })).byteLength).toBe(195);
    expect(await until(() => listener!.stats().open === 0, 3_000)).toBe(true);
  });

  it('a handler that throws synchronously or rejects gets the client a fault, and the connection serves on', async () => {
    let calls = 0;
    const good = signingHandler(vectorIdentity());
    const handler: ActivateHandler = (s, ctx) => {
      calls++;
      if (calls === 1) throw new TypeError('boom');
      if (calls === 2) return Promise.reject(new Error('later boom'));
      return good(s, ctx);
    };
    listener = await startTestListener({}, handler);
    const c = await RawClient.open(listener.addresses()[0]!.port);
    c.send(bindPdu());
    expect((await c.next())?.kind).toBe('bind_ack');
    for (let i = 0; i < 3; i++) c.send(concatBytes(encodeRequest(2 + i, 0, 0, stub, 5_840)));
    expect((await c.next())?.kind).toBe('fault');
    expect((await c.next())?.kind).toBe('fault');
    expect((await c.next())?.kind).toBe('response');
    c.close();
  });
});
