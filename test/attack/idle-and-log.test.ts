import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes, encodeRequest, fromHex } from '../../shared/protocol/index.js';
import { startRpcListener, type RpcListener } from '../../src-main/rpc/listener.js';
import { RawClient, bindPdu, loadVectors, signingHandler, vectorIdentity } from '../integration/rpc/fixtures.js';
import { ATTACKER, coCancelPdu, flood, sized, until } from './attack-fixtures.js';

const stub = fromHex(loadVectors().request.hex);
let listener: RpcListener | undefined;
const sockets: Socket[] = [];
const raws: RawClient[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of raws.splice(0)) c.close();
  await listener?.close();
  listener = undefined;
});

async function bound(port: number): Promise<RawClient> {
  const c = await RawClient.open(port, '127.0.0.1', ATTACKER);
  raws.push(c);
  c.send(bindPdu());
  expect((await c.next())?.kind).toBe('bind_ack');
  return c;
}

describe('attack: an idle connection that keeps sending something', () => {
  it('a co_cancel now and then does not keep a connection past the idle timeout; calls do', async () => {
    listener = await startRpcListener({
      listen: [{ host: '127.0.0.1', port: 0 }],
      limits: { idleTimeoutMs: 500 },
      onActivate: signingHandler(vectorIdentity()),
    });
    const port = listener.addresses()[0]!.port;
    const canceller = await bound(port);
    const caller = await bound(port);
    let callId = 10;
    // Bounded: 25 rounds of 100 ms, five idle timeouts long.
    for (let round = 0; round < 25 && !canceller.closed; round++) {
      canceller.send(coCancelPdu(2));
      if (round % 2 === 0) {
        caller.send(concatBytes(encodeRequest(callId++, 0, 0, stub, 5_840)));
        expect((await caller.next())?.kind).toBe('response');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(canceller.closed).toBe(true);
    expect(caller.closed).toBe(false);
    expect(listener.stats().timeouts).toBe(1);
  });
});

describe('attack: a flood of bad connections and the log', () => {
  it('logs a bounded number of lines and says how many it left out', async () => {
    const lines: string[] = [];
    listener = await startRpcListener({
      listen: [{ host: '127.0.0.1', port: 0 }],
      onActivate: signingHandler(vectorIdentity()),
      log: (line) => lines.push(line),
      logThrottle: { lines: 10, windowMs: 1_000 },
    });
    const n = sized(100, 2_000);
    const garbage = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
    await flood(listener.addresses()[0]!.port, ATTACKER, n, () => garbage, sockets);
    const summaries = (): string[] => lines.filter((l) => /similar messages suppressed/.test(l));
    const suppressed = (): number => summaries().reduce((sum, l) => sum + Number(/(\d+) similar/.exec(l)![1]), 0);
    expect(await until(() => lines.length - summaries().length + suppressed() === n, 5_000)).toBe(true);
    expect(lines.length - summaries().length).toBeLessThanOrEqual(10 * (summaries().length + 1));
    expect(summaries().length).toBeGreaterThan(0);
    expect(listener.stats().logSuppressed).toBe(suppressed());
  });
});
