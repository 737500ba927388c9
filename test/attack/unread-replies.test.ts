import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes, encodeRequest, fromHex } from '../../shared/protocol/index.js';
import type { RpcListener } from '../../src-main/rpc/listener.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { bindPdu, loadVectors, startTestListener } from '../integration/rpc/fixtures.js';
import { ATTACKER, openFrom, sized, until } from './attack-fixtures.js';

const stub = fromHex(loadVectors().request.hex);
let listener: RpcListener | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close();
  listener = undefined;
});

/** What docs/protocol.md section 9 promises per connection: one fragment plus 64 KiB each way. */
const BOUND = 5_840 + 2 * 65_536;

describe('attack: a client pipelines calls and never reads the replies', () => {
  it('the host stops reading it: what it holds for the connection stays bounded, and another client is served', async () => {
    // Large replies make the unread bytes outgrow the kernel's socket buffers within a small sample.
    const reply = new Uint8Array(8_192);
    listener = await startTestListener({}, async () => reply);
    const port = listener.addresses()[0]!.port;
    const calls = sized(2_000, 40_000);
    const pipeline = concatBytes([
      bindPdu(),
      ...Array.from({ length: calls }, (_, i) => concatBytes(encodeRequest(i + 2, 0, 0, stub, 5_840))),
    ]);
    const s = await openFrom(port, ATTACKER, null);
    expect(s).not.toBeNull();
    sockets.push(s!);
    // No 'data' listener: the client reads nothing (Node stops at its own small buffer).
    s!.write(pipeline);

    // The host answers until its writes back up, then waits: the responses stop growing.
    let last = -1;
    const settled = await until(() => {
      const { responses, writePauses } = listener!.stats();
      const still = writePauses > 0 && responses === last;
      last = responses;
      return still;
    }, 4_000);
    expect(settled).toBe(true);
    const stats = listener.stats();
    expect(stats.responses).toBeLessThan(calls);
    expect(stats.peakBufferedBytes).toBeLessThanOrEqual(BOUND);

    const other = await rpcCall(listener.addresses()[0]!, 0, stub, { timeoutMs: 3_000 });
    expect(other.byteLength).toBe(reply.byteLength);
    expect(listener.stats().peakBufferedBytes).toBeLessThanOrEqual(BOUND);
  });

  it('once the client reads again, the host carries on and answers every call', async () => {
    listener = await startTestListener({}, async () => new Uint8Array(8_192));
    const port = listener.addresses()[0]!.port;
    const calls = sized(2_000, 10_000);
    const s = await openFrom(port, ATTACKER, null);
    sockets.push(s!);
    s!.write(
      concatBytes([
        bindPdu(),
        ...Array.from({ length: calls }, (_, i) => concatBytes(encodeRequest(i + 2, 0, 0, stub, 5_840))),
      ]),
    );
    expect(await until(() => listener!.stats().writePauses > 0, 3_000)).toBe(true);
    s!.resume();
    expect(await until(() => listener!.stats().responses === calls, 5_000)).toBe(true);
    expect(listener.stats()).toMatchObject({ protocolErrors: 0, timeouts: 0, internalErrors: 0 });
  });
});
