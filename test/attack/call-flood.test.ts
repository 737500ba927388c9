import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FaultStatus,
  FragmentBuffer,
  concatBytes,
  decodePdu,
  encodeRequest,
  fromHex,
} from '../../shared/protocol/index.js';
import type { RpcListener } from '../../src-main/rpc/listener.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { RawClient, bindPdu, loadVectors, startTestListener } from '../integration/rpc/fixtures.js';
import { ATTACKER, flood, openFrom, sized, until } from './attack-fixtures.js';

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

/** Counts the faults a flooding connection gets back, by status. */
function countFaults(s: Socket): Map<number, number> {
  const counts = new Map<number, number>();
  const buffer = new FragmentBuffer(65_535);
  s.on('data', (chunk: Buffer) => {
    buffer.push(new Uint8Array(chunk));
    for (let f = buffer.next(); f; f = buffer.next()) {
      const pdu = decodePdu(f);
      if (pdu.kind === 'fault') counts.set(pdu.status, (counts.get(pdu.status) ?? 0) + 1);
    }
  });
  return counts;
}

async function served(n: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const reply = await rpcCall(listener!.addresses()[0]!, 0, stub, { timeoutMs: 3_000 }).catch(() => null);
    if (reply?.byteLength === 195) ok++;
  }
  return ok;
}

describe('attack: calls that are only ever faulted, from one address', () => {
  it('wrong-opnum and unaccepted-context calls count against the address rate; another address is served', async () => {
    const rate = 200;
    listener = await startTestListener({ requestsPerAddressPerSecond: rate });
    const port = listener.addresses()[0]!.port;
    const connections = sized(4, 8);
    const callsEach = sized(2_000, 20_000);
    const tallies: Map<number, number>[] = [];
    const started = Date.now();
    for (let c = 0; c < connections; c++) {
      const s = await openFrom(port, ATTACKER, null);
      expect(s).not.toBeNull();
      sockets.push(s!);
      tallies.push(countFaults(s!));
      const calls = Array.from({ length: callsEach }, (_, i) =>
        // Odd calls ask for opnum 1, even ones name context 7, which the bind did not propose.
        concatBytes(encodeRequest(i + 2, i % 2 === 0 ? 7 : 0, i % 2 === 0 ? 0 : 1, stub, 5_840)),
      );
      s!.write(concatBytes([bindPdu(), ...calls]));
    }
    expect(await served(sized(10, 50))).toBe(sized(10, 50));
    await new Promise((r) => setTimeout(r, sized(1_000, 5_000)));
    const seconds = (Date.now() - started) / 1000;

    const total = (status: number) => tallies.reduce((n, t) => n + (t.get(status) ?? 0), 0);
    const answered = total(FaultStatus.opRangeError) + total(FaultStatus.invalidPresContextId);
    // The bucket's burst and its refill over the time the flood ran, and not a call more.
    expect(answered).toBeLessThanOrEqual(rate * (1 + seconds) + 1);
    expect(answered).toBeGreaterThan(0);
    expect(total(FaultStatus.serverTooBusy)).toBeGreaterThan(0);
    // Some faults may still be on their way to the client.
    expect(listener.stats().rateLimited).toBeGreaterThanOrEqual(total(FaultStatus.serverTooBusy));
  });

  it('connections closed for malformed PDUs count too: the address is then over its rate', async () => {
    listener = await startTestListener({ requestsPerAddressPerSecond: 5 });
    const port = listener.addresses()[0]!.port;
    const attacker = await RawClient.open(port, '127.0.0.1', ATTACKER);
    raws.push(attacker);
    attacker.send(bindPdu());
    expect((await attacker.next())?.kind).toBe('bind_ack');
    const garbage = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await flood(port, ATTACKER, sized(100, 1_000), () => garbage, sockets);
    expect(await until(() => listener!.stats().protocolErrors === sized(100, 1_000), 3_000)).toBe(true);
    attacker.send(concatBytes(encodeRequest(2, 0, 0, stub, 5_840)));
    expect(await attacker.next()).toMatchObject({ kind: 'fault', status: FaultStatus.serverTooBusy });
    expect(await served(5)).toBe(5);
  });
});
