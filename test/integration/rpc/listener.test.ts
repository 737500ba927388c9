import { afterEach, describe, expect, it } from 'vitest';
import {
  BindNakReason,
  ContextResult,
  FaultStatus,
  NDR20_SYNTAX,
  PfcFlags,
  ProviderReason,
  concatBytes,
  decodeSignedResponse,
  encodeBind,
  encodeRequest,
  encodeRequestFragment,
  fromHex,
} from '../../../shared/protocol/index.js';
import { verifyHostSignature } from '../../../src-main/host/identity.js';
import { startRpcListener, type ActivateHandler, type RpcListener } from '../../../src-main/rpc/listener.js';
import { rpcCall, openRpcSession } from '../../../src-main/rpc/rpc-client.js';
import {
  QAP_CONTEXT,
  RawClient,
  bindPdu,
  loadVectors,
  signingHandler,
  startTestListener,
  vectorIdentity,
} from './fixtures.js';

const requestStub = fromHex(loadVectors().request.hex);
let listener: RpcListener | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await listener?.close();
  listener = undefined;
});

async function raw(): Promise<RawClient> {
  const c = await RawClient.open(listener!.addresses()[0]!.port);
  clients.push(c);
  return c;
}

describe('RPC listener', () => {
  it('serves a signed activation over IPv4 and IPv6', async () => {
    listener = await startTestListener({}, undefined, ['127.0.0.1', '::1']);
    for (const target of listener.addresses()) {
      const d = decodeSignedResponse(await rpcCall(target, 0, requestStub));
      expect(verifyHostSignature(d.response.hostPublicKey, d.signedBytes, d.signature)).toBe(true);
    }
  });

  it('listens on "::" for IPv6 and IPv4 clients alike, and beside "0.0.0.0" on the same port as well', async () => {
    // Each call's peer as the host sees it: an IPv4 client on the dual-stack socket is 127.0.0.1, not ::ffff:127.0.0.1.
    const peers: string[] = [];
    const signing = signingHandler(vectorIdentity());
    const handler: ActivateHandler = (stub, ctx) => {
      peers.push(ctx.remoteAddress);
      return signing(stub, ctx);
    };
    const verified = async (host: string, port: number) => {
      const d = decodeSignedResponse(await rpcCall({ host, port }, 0, requestStub));
      return verifyHostSignature(d.response.hostPublicKey, d.signedBytes, d.signature);
    };
    listener = await startTestListener({}, handler, ['::']);
    const port = listener.addresses()[0]!.port;
    expect(await verified('127.0.0.1', port)).toBe(true);
    expect(await verified('::1', port)).toBe(true);
    await listener.close();
    listener = await startRpcListener({
      listen: [
        { host: '0.0.0.0', port },
        { host: '::', port },
      ],
      onActivate: handler,
    });
    expect(listener.addresses().map((a) => a.host)).toEqual(['0.0.0.0', '::']);
    expect(await verified('127.0.0.1', port)).toBe(true);
    expect(await verified('::1', port)).toBe(true);
    expect(peers).toEqual(['127.0.0.1', '::1', '127.0.0.1', '::1']);
  });

  it('answers several context items: accepts QAP/NDR, rejects unknown interfaces and other transfer syntaxes', async () => {
    listener = await startTestListener();
    const c = await raw();
    const other = { uuid: '71710533-beba-4937-8319-b5dbef9ccc36', major: 1, minor: 0 };
    c.send(
      bindPdu([
        { ...QAP_CONTEXT, contextId: 0, transferSyntaxes: [other] },
        {
          contextId: 1,
          abstractSyntax: { uuid: '12345678-1234-abcd-ef00-0123456789ab', major: 1, minor: 0 },
          transferSyntaxes: [NDR20_SYNTAX],
        },
        { ...QAP_CONTEXT, contextId: 2, transferSyntaxes: [other, NDR20_SYNTAX] },
      ]),
    );
    const ack = await c.next();
    expect(ack?.kind).toBe('bind_ack');
    if (ack?.kind !== 'bind_ack') return;
    expect(ack.results.map((r) => [r.result, r.reason])).toEqual([
      [ContextResult.providerRejection, ProviderReason.proposedTransferSyntaxesNotSupported],
      [ContextResult.providerRejection, ProviderReason.abstractSyntaxNotSupported],
      [ContextResult.acceptance, 0],
    ]);
    expect(ack.results[2]!.transferSyntax).toEqual(NDR20_SYNTAX);
    // A rejected context cannot be called; the accepted one can, several times on one connection.
    c.send(encodeRequest(2, 0, 0, requestStub, 5840)[0]!);
    expect(await c.next()).toMatchObject({ kind: 'fault', status: FaultStatus.invalidPresContextId });
    for (let callId = 3; callId < 6; callId++) {
      c.send(encodeRequest(callId, 2, 0, requestStub, 5840)[0]!);
      expect(await c.next()).toMatchObject({ kind: 'response', header: { callId } });
    }
  });

  it('adds a context with alter_context and answers on it', async () => {
    listener = await startTestListener();
    const c = await raw();
    c.send(
      bindPdu([
        { ...QAP_CONTEXT, abstractSyntax: { uuid: '12345678-1234-abcd-ef00-0123456789ab', major: 1, minor: 0 } },
      ]),
    );
    expect(await c.next()).toMatchObject({ kind: 'bind_ack', results: [{ result: ContextResult.providerRejection }] });
    c.send(
      encodeBind(
        2,
        { maxXmitFrag: 5840, maxRecvFrag: 5840, assocGroupId: 0, contexts: [{ ...QAP_CONTEXT, contextId: 4 }] },
        true,
      ),
    );
    expect(await c.next()).toMatchObject({
      kind: 'alter_context_resp',
      results: [{ result: ContextResult.acceptance }],
    });
    c.send(encodeRequest(3, 4, 0, requestStub, 5840)[0]!);
    expect(await c.next()).toMatchObject({ kind: 'response' });
  });

  it('reassembles small request fragments and fragments the response to the negotiated max_recv', async () => {
    listener = await startTestListener();
    const c = await raw();
    c.send(bindPdu([QAP_CONTEXT], 64));
    expect(await c.next()).toMatchObject({ kind: 'bind_ack', maxXmitFrag: 64, maxRecvFrag: 64 });
    const frags = encodeRequest(2, 0, 0, requestStub, 64);
    expect(frags.length).toBeGreaterThan(3);
    for (const f of frags) c.send(f);
    const parts: Uint8Array[] = [];
    for (;;) {
      const p = await c.next();
      expect(p?.kind).toBe('response');
      if (p?.kind !== 'response') return;
      expect(p.header.fragLength).toBeLessThanOrEqual(64);
      parts.push(p.stub);
      if (p.header.flags & PfcFlags.lastFrag) break;
    }
    expect(parts.length).toBeGreaterThan(3);
    const d = decodeSignedResponse(concatBytes(parts));
    expect(verifyHostSignature(d.response.hostPublicKey, d.signedBytes, d.signature)).toBe(true);
  });

  it('faults an unknown opnum with nca_s_op_rng_error and keeps the connection', async () => {
    listener = await startTestListener();
    const session = await openRpcSession(listener.addresses()[0]!);
    await expect(session.call(1, requestStub)).rejects.toMatchObject({
      code: 'RPC_FAULT',
      message: expect.stringContaining('nca_s_op_rng_error'),
    });
    expect((await session.call(0, requestStub)).byteLength).toBe(195);
    session.close();
  });

  it('faults an undecodable stub with rpc_x_bad_stub_data', async () => {
    listener = await startTestListener();
    await expect(rpcCall(listener.addresses()[0]!, 0, new Uint8Array(40))).rejects.toMatchObject({
      code: 'RPC_FAULT',
      message: expect.stringContaining('rpc_x_bad_stub_data'),
    });
  });

  it('refuses a big-endian data representation with a fault and closes', async () => {
    listener = await startTestListener();
    const c = await raw();
    const bind = bindPdu();
    bind[4] = 0x00; // integer representation: big-endian
    [bind[8], bind[9]] = [bind[9]!, bind[8]!];
    c.send(bind);
    expect(await c.next()).toMatchObject({ kind: 'fault', status: FaultStatus.unsupportedType });
    expect(await c.waitClosed()).toBe(true);
  });

  it('answers a wrong DCE/RPC version and fragments below 64 bytes with bind_nak', async () => {
    listener = await startTestListener();
    const c1 = await raw();
    const bind = bindPdu();
    bind[0] = 4;
    c1.send(bind);
    expect(await c1.next()).toMatchObject({
      kind: 'bind_nak',
      rejectReason: BindNakReason.protocolVersionNotSupported,
    });
    const c2 = await raw();
    c2.send(bindPdu([QAP_CONTEXT], 32));
    expect(await c2.next()).toMatchObject({ kind: 'bind_nak', rejectReason: BindNakReason.localLimitExceeded });
    expect(await c2.waitClosed()).toBe(true);
  });

  it('closes on garbage, a request before bind, or an oversized fragment, and keeps serving', async () => {
    const lines: string[] = [];
    listener = await startTestListener({ maxFragment: 1024 }, undefined, ['127.0.0.1'], (l) => lines.push(l));
    const garbage = await raw();
    garbage.send(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await garbage.waitClosed()).toBe(true);
    const early = await raw();
    early.send(encodeRequest(1, 0, 0, requestStub, 5840)[0]!);
    expect(await early.next()).toMatchObject({ kind: 'fault', status: FaultStatus.protoError });
    const big = await raw();
    big.send(bindPdu());
    await big.next();
    big.send(
      encodeRequestFragment({ callId: 2, flags: 3, allocHint: 0, contextId: 0, opnum: 0, stub: new Uint8Array(2000) }),
    );
    expect(await big.waitClosed()).toBe(true);
    expect((await rpcCall(listener.addresses()[0]!, 0, requestStub)).byteLength).toBe(195);
    expect(lines.length).toBe(3);
  });

  it('enforces the stub size, calls per connection and per-address rate', async () => {
    listener = await startTestListener({ maxStubBytes: 256, maxCallsPerConnection: 2, requestsPerAddressPerSecond: 0 });
    const target = listener.addresses()[0]!;
    await expect(rpcCall(target, 0, new Uint8Array(300))).rejects.toMatchObject({
      code: expect.stringMatching(/^RPC_(FAULT|CONNECTION_CLOSED)$/),
    });
    const s = await openRpcSession(target);
    await s.call(0, requestStub);
    await s.call(0, requestStub);
    await expect(s.call(0, requestStub)).rejects.toMatchObject({
      message: expect.stringContaining('nca_s_server_too_busy'),
    });
    s.close();
    await listener.close();
    // No pause after a refusal here, so that the bucket alone decides (the pause: test/attack/call-flood.test.ts).
    listener = await startTestListener({ requestsPerAddressPerSecond: 3, rateLimitPauseMs: 0 });
    const s2 = await openRpcSession(listener.addresses()[0]!);
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(
        await s2.call(0, requestStub).then(
          () => 'ok',
          () => 'busy',
        ),
      );
    s2.close();
    expect(results.filter((r) => r === 'busy').length).toBeGreaterThanOrEqual(2);
    expect(listener.stats().rateLimited).toBeGreaterThanOrEqual(2);
  });

  it('closes a connection whose fragment stalls (read timeout) and idle connections (idle timeout)', async () => {
    listener = await startTestListener({ readTimeoutMs: 200, idleTimeoutMs: 400 });
    const stalled = await raw();
    stalled.send(bindPdu().subarray(0, 20));
    const idle = await raw();
    expect(await stalled.waitClosed(3_000)).toBe(true);
    expect(await idle.waitClosed(3_000)).toBe(true);
    expect(listener.stats().timeouts).toBe(2);
  });

  it('a client that half-closes is closed at once when idle, and its connection is forgotten', async () => {
    listener = await startTestListener();
    const c = await raw();
    c.send(bindPdu());
    expect((await c.next())?.kind).toBe('bind_ack');
    c.send(concatBytes(encodeRequest(2, 0, 0, requestStub, 5840)));
    expect((await c.next())?.kind).toBe('response');
    expect(listener.stats().open).toBe(1);
    c.socket.end();
    expect(await c.waitClosed(3_000)).toBe(true);
    const deadline = Date.now() + 3_000;
    while (listener.stats().open > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(listener.stats()).toMatchObject({ open: 0, responses: 1, protocolErrors: 0, timeouts: 0 });
  });

  it('a client that half-closes mid-fragment is ended, not kept half-open', async () => {
    listener = await startTestListener({ readTimeoutMs: 60_000 });
    const c = await raw();
    c.send(bindPdu().subarray(0, 20));
    await new Promise((r) => setTimeout(r, 50));
    c.socket.end();
    expect(await c.waitClosed(3_000)).toBe(true);
    expect(listener.stats().timeouts).toBe(0);
  });

  it('the client names the host and what to check when nothing listens', async () => {
    listener = await startTestListener();
    const port = listener.addresses()[0]!.port;
    await listener.close();
    listener = undefined;
    await expect(rpcCall({ host: '127.0.0.1', port }, 0, requestStub)).rejects.toMatchObject({
      code: 'RPC_CONNECT_REFUSED',
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });

  it('the client says a host name does not resolve, instead of a bare ENOTFOUND', async () => {
    // .invalid never resolves (RFC 6761); without a DNS server the lookup fails as EAI_AGAIN, said the same way.
    await expect(rpcCall({ host: 'no-such-host.invalid', port: 1688 }, 0, requestStub)).rejects.toMatchObject({
      code: 'RPC_HOST_NOT_FOUND',
      message: expect.stringMatching(/^The host name no-such-host\.invalid (does not resolve|could not be resolved)/),
    });
  });
});
