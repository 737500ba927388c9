import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuorumError } from '../../../shared/domain/errors.js';
import {
  FaultStatus,
  FragmentBuffer,
  NDR20_SYNTAX,
  PfcFlags,
  QAP_INTERFACE_UUID,
  concatBytes,
  decodePdu,
  encodeBind,
  encodeBindAck,
  encodeBindNak,
  encodeFault,
  encodeRequest,
  encodeResponse,
  guidBytesToUuid,
  peekCallId,
  uuidToGuidBytes,
} from '../../../shared/protocol/index.js';

describe('DCE/RPC PDU codec', () => {
  it('puts the interface UUID on the wire in GUID order, as tshark and impacket read it', () => {
    const b = uuidToGuidBytes(QAP_INTERFACE_UUID);
    expect(Buffer.from(b).toString('hex')).toBe('87b6a2fb25492440aa47172873372121');
    expect(guidBytesToUuid(b)).toBe(QAP_INTERFACE_UUID);
  });

  it('round-trips a bind with several context items', () => {
    const contexts = [
      {
        contextId: 0,
        abstractSyntax: { uuid: QAP_INTERFACE_UUID, major: 1, minor: 0 },
        transferSyntaxes: [NDR20_SYNTAX],
      },
      {
        contextId: 1,
        abstractSyntax: { uuid: '12345678-1234-abcd-ef00-0123456789ab', major: 3, minor: 1 },
        transferSyntaxes: [NDR20_SYNTAX, { uuid: '71710533-beba-4937-8319-b5dbef9ccc36', major: 1, minor: 0 }],
      },
    ];
    const pdu = decodePdu(encodeBind(7, { maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 9, contexts }));
    expect(pdu).toMatchObject({ kind: 'bind', maxXmitFrag: 4280, assocGroupId: 9, contexts });
    expect(pdu.header.callId).toBe(7);
  });

  it('round-trips bind_ack (with 4-byte alignment after the secondary address), bind_nak and fault', () => {
    for (const secondaryAddress of ['', '1', '1688', '65535']) {
      const results = [{ result: 0, reason: 0, transferSyntax: NDR20_SYNTAX }];
      const pdu = decodePdu(
        encodeBindAck(1, { maxXmitFrag: 64, maxRecvFrag: 5840, assocGroupId: 1, secondaryAddress, results }),
      );
      expect(pdu).toMatchObject({ kind: 'bind_ack', secondaryAddress, results });
    }
    expect(decodePdu(encodeBindNak(2, 4))).toMatchObject({
      kind: 'bind_nak',
      rejectReason: 4,
      versions: [{ major: 5, minor: 0 }],
    });
    expect(decodePdu(encodeFault(3, 0, FaultStatus.opRangeError))).toMatchObject({ kind: 'fault', status: 0x1c010002 });
  });

  it('fragments honour the size limit, keep 8-byte stub alignment and reassemble', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 64, max: 600 }), (stub, maxFrag) => {
        for (const frags of [encodeRequest(5, 0, 0, stub, maxFrag), encodeResponse(5, 0, stub, maxFrag)]) {
          const pdus = frags.map((f) => decodePdu(f));
          pdus.forEach((p, i) => {
            expect(p.header.fragLength).toBeLessThanOrEqual(maxFrag);
            expect(Boolean(p.header.flags & PfcFlags.firstFrag)).toBe(i === 0);
            expect(Boolean(p.header.flags & PfcFlags.lastFrag)).toBe(i === pdus.length - 1);
            if (i < pdus.length - 1 && 'stub' in p) expect(p.stub.byteLength % 8).toBe(0);
          });
          const joined = concatBytes(pdus.map((p) => ('stub' in p ? p.stub : new Uint8Array())));
          expect(joined).toEqual(stub);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the fragment buffer cuts a stream split anywhere, and refuses an oversized frag_length before buffering it', () => {
    const stream = concatBytes(encodeRequest(1, 0, 0, new Uint8Array(500).fill(3), 100));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.byteLength - 1 }), { maxLength: 10 }), (cuts) => {
        const fb = new FragmentBuffer(100);
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let prev = 0;
        const got: Uint8Array[] = [];
        for (const at of [...points, stream.byteLength]) {
          fb.push(stream.subarray(prev, at));
          prev = at;
          for (let f = fb.next(); f; f = fb.next()) got.push(f);
        }
        expect(concatBytes(got)).toEqual(stream);
      }),
    );
    const fb = new FragmentBuffer(100);
    fb.push(encodeBind(1, { maxXmitFrag: 64, maxRecvFrag: 64, assocGroupId: 0, contexts: [] }).subarray(0, 16));
    expect(fb.next()).toBeNull();
    const big = new FragmentBuffer(20);
    big.push(encodeFault(1, 0, 1));
    expect(() => big.next()).toThrow(QuorumError);
  });

  it('refuses a big-endian data representation with PROTOCOL_UNSUPPORTED_DREP', () => {
    const f = encodeFault(1, 0, 1);
    f[4] = 0x00;
    [f[8], f[9]] = [0, f[8]!];
    expect(() => decodePdu(f)).toThrow(expect.objectContaining({ code: 'PROTOCOL_UNSUPPORTED_DREP' }));
  });

  it('throws only QuorumErrors on random and mutated bytes', () => {
    const seeds = [
      encodeBind(1, { maxXmitFrag: 5840, maxRecvFrag: 5840, assocGroupId: 0, contexts: [] }),
      encodeRequest(2, 0, 0, new Uint8Array(40), 5840)[0]!,
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 8 }),
        (seed, edits) => {
          const b = seed.slice();
          for (const [at, v] of edits) b[at % b.byteLength] = v;
          try {
            decodePdu(b);
          } catch (e) {
            expect(e).toBeInstanceOf(QuorumError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('hands over a header of another version or drep alone, whatever its frag_length, with its call_id in its own byte order', () => {
    const bind = encodeBind(0, { maxXmitFrag: 5840, maxRecvFrag: 5840, assocGroupId: 0, contexts: [] });
    bind.set([0, 0, 0, 0], 4); // big-endian integers
    bind.set([0x12, 0x34, 0x56, 0x78], 12);
    bind.set([0xff, 0xff], 8); // a length no receive limit allows
    const buffer = new FragmentBuffer(64);
    buffer.push(bind);
    const header = buffer.next();
    expect(header?.byteLength).toBe(16);
    expect(peekCallId(header!)).toBe(0x12345678);
    expect(() => decodePdu(header!)).toThrow(expect.objectContaining({ code: 'PROTOCOL_UNSUPPORTED_DREP' }));
    const v4 = encodeBind(1, { maxXmitFrag: 5840, maxRecvFrag: 5840, assocGroupId: 0, contexts: [] });
    v4[0] = 4;
    const b2 = new FragmentBuffer(5840);
    b2.push(v4.subarray(0, 16));
    expect(b2.next()?.byteLength).toBe(16);
  });
});

describe('text where a PDU belongs', () => {
  it('says an HTTP answer or request is HTTP, not an unknown DCE/RPC version', () => {
    for (const text of ['HTTP/1.1 400 Bad Request\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n']) {
      const bytes = new TextEncoder().encode(text);
      expect(() => decodePdu(bytes)).toThrow(
        expect.objectContaining({
          code: 'PROTOCOL_VERSION',
          message: expect.stringMatching(/^This is HTTP .*not DCE\/RPC/),
        }),
      );
    }
    // Other bytes keep the version in the message.
    const other = new Uint8Array(24).fill(9);
    expect(() => decodePdu(other)).toThrow(/DCE\/RPC version 9\.9 is not supported/);
  });
});
