import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuorumError } from '../../../shared/domain/errors.js';
import {
  MAX_REQUEST_LENGTH,
  MAX_SIGNED_RESPONSE_LENGTH,
  QapStatus,
  decodeActivationRequest,
  decodeSignedResponse,
  encodeActivationRequest,
  encodeResponseBody,
  encodeSignedResponse,
  requestMacInput,
  type ActivationRequest,
  type ActivationResponse,
} from '../../../shared/protocol/index.js';
import { vectorRequest } from '../../../scripts/gen-protocol-vectors.js';

const uuid = fc.uuid().map((u) => u.toLowerCase());
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const machineName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter(
    (s) =>
      ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) &&
      new TextEncoder().encode(s).byteLength <= 63,
  );

const requestArb: fc.Arbitrary<ActivationRequest> = fc.record({
  version: fc.constant(1),
  cmid: uuid,
  previousCmid: fc.option(uuid, { nil: null }),
  machineName,
  applicationId: uuid,
  productId: uuid,
  productGroupId: uuid,
  licenseState: fc.constantFrom(0, 1, 2, 3, 4, 5, 6) as fc.Arbitrary<ActivationRequest['licenseState']>,
  remainingMinutes: fc.integer({ min: 0, max: 0xffffffff }),
  isVm: fc.boolean(),
  clientTime: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  nonce: bytes(16),
  siteTokenMac: fc.option(bytes(32), { nil: null }),
});

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof QuorumError ? e.code : `not a QuorumError: ${String(e)}`;
  }
  return 'no error';
}

describe('activation request codec', () => {
  it('round-trips every valid request and stays compact', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const wire = encodeActivationRequest(req);
        expect(wire.byteLength).toBeLessThanOrEqual(MAX_REQUEST_LENGTH);
        expect(decodeActivationRequest(wire)).toEqual(req);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every truncation with PROTOCOL_TRUNCATED and every extension with PROTOCOL_TRAILING_BYTES', () => {
    const wire = encodeActivationRequest(vectorRequest());
    for (let n = 0; n < wire.byteLength; n++) {
      expect(codeOf(() => decodeActivationRequest(wire.subarray(0, n)))).toMatch(/^PROTOCOL_(TRUNCATED|BAD_FIELD)$/);
    }
    const longer = new Uint8Array(wire.byteLength + 1);
    longer.set(wire);
    expect(codeOf(() => decodeActivationRequest(longer))).toBe('PROTOCOL_TRAILING_BYTES');
  });

  it('names the problem: magic, version, license state, flags, name', () => {
    const wire = encodeActivationRequest(vectorRequest());
    const edit = (at: number, v: number) => {
      const b = wire.slice();
      b[at] = v;
      return b;
    };
    expect(codeOf(() => decodeActivationRequest(edit(0, 0)))).toBe('PROTOCOL_BAD_MAGIC');
    expect(codeOf(() => decodeActivationRequest(edit(4, 2)))).toBe('PROTOCOL_UNSUPPORTED_VERSION');
    expect(codeOf(() => decodeActivationRequest(edit(88, 7)))).toBe('PROTOCOL_BAD_FIELD');
    expect(codeOf(() => decodeActivationRequest(edit(6, 0x80)))).toBe('PROTOCOL_BAD_FIELD');
    expect(codeOf(() => decodeActivationRequest(edit(120, 0x07)))).toBe('PROTOCOL_BAD_FIELD');
    expect(codeOf(() => decodeActivationRequest(edit(121, 0xff)))).toBe('PROTOCOL_BAD_FIELD');
    // docs/protocol.md §4: previousCmid is zeros unless flag bit 1 says it is present.
    expect(() => decodeActivationRequest(edit(39, 1))).toThrow(/previousCmid must be zeros when flag bit 1 is clear/);
    const withPrevious = edit(6, 0x02);
    withPrevious[39] = 1;
    expect(decodeActivationRequest(withPrevious).previousCmid).toBe('00000000-0000-0000-0000-000000000001');
  });

  it('refuses to encode values that do not fit the layout', () => {
    const req = vectorRequest();
    expect(codeOf(() => encodeActivationRequest({ ...req, machineName: 'x'.repeat(64) }))).toBe('PROTOCOL_BAD_FIELD');
    expect(codeOf(() => encodeActivationRequest({ ...req, cmid: 'not-a-uuid' }))).toBe('PROTOCOL_BAD_FIELD');
    expect(codeOf(() => encodeActivationRequest({ ...req, nonce: new Uint8Array(8) }))).toBe('PROTOCOL_BAD_FIELD');
    expect(codeOf(() => encodeActivationRequest({ ...req, clientTime: -1 }))).toBe('PROTOCOL_BAD_FIELD');
  });

  it('the MAC input is everything before the MAC, with or without one', () => {
    const req = vectorRequest();
    const plain = encodeActivationRequest(req);
    const withMac = encodeActivationRequest({ ...req, siteTokenMac: new Uint8Array(32).fill(7) });
    expect(requestMacInput(withMac).byteLength).toBe(withMac.byteLength - 32);
    expect(requestMacInput(plain).byteLength).toBe(plain.byteLength);
  });
});

const responseArb: fc.Arbitrary<ActivationResponse> = fc.record({
  version: fc.constant(1),
  status: fc.constantFrom(...Object.values(QapStatus)),
  hostPublicKey: bytes(32),
  hostId: fc.stringMatching(/^[!-~]{1,32}$/),
  cmid: uuid,
  nonce: bytes(16),
  clientTime: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  count: fc.integer({ min: 0, max: 0xffffffff }),
  threshold: fc.integer({ min: 0, max: 0xffffffff }),
  granted: fc.boolean(),
  activationIntervalMin: fc.integer({ min: 0, max: 0xffffffff }),
  renewalIntervalMin: fc.integer({ min: 0, max: 0xffffffff }),
  validityMin: fc.integer({ min: 0, max: 0xffffffff }),
  hostTime: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
});

describe('activation response codec', () => {
  it('round-trips, and the signed bytes are exactly the response body', () => {
    fc.assert(
      fc.property(responseArb, bytes(64), (resp, sig) => {
        const wire = encodeSignedResponse(resp, sig);
        expect(wire.byteLength).toBeLessThanOrEqual(MAX_SIGNED_RESPONSE_LENGTH);
        const d = decodeSignedResponse(wire);
        expect(d.response).toEqual(resp);
        expect(d.signedBytes).toEqual(encodeResponseBody(resp));
        expect(d.signature).toEqual(sig);
      }),
      { numRuns: 300 },
    );
  });

  it('never parses a request as a response or a response as a request', () => {
    const req = encodeActivationRequest(vectorRequest());
    expect(codeOf(() => decodeSignedResponse(req))).toBe('PROTOCOL_BAD_MAGIC');
  });

  it('decoders throw only QuorumErrors on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(codeOf(() => decodeActivationRequest(b))).toMatch(/^PROTOCOL_|^no error$/);
        expect(codeOf(() => decodeSignedResponse(b))).toMatch(/^PROTOCOL_|^no error$/);
      }),
      { numRuns: 2000 },
    );
  });
});
