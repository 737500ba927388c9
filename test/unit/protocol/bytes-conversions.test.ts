/**
 * The hex and UUID conversions on the activation path use lookup tables and a cache; they must
 * give exactly what the plain definitions give, and refuse what those refuse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteWriter,
  bytesToUuid,
  fromHex,
  guidBytesToUuid,
  toHex,
  uuidToBytes,
  uuidToGuidBytes,
} from '../../../shared/protocol/bytes.js';

const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

function referenceFromHex(hex: string): number[] {
  return Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

describe('hex and UUID conversions', () => {
  it('fromHex reads lower- and upper-case hex as parseInt does, and round-trips toHex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (b, upper) => {
        const hex = upper ? toHex(b).toUpperCase() : toHex(b);
        expect([...fromHex(hex)]).toEqual(referenceFromHex(hex));
        expect([...fromHex(hex)]).toEqual([...b]);
      }),
    );
  });

  it('fromHex refuses an odd length or any non-hex character with PROTOCOL_BAD_HEX', () => {
    for (const bad of ['a', 'abc', 'zz', '0g', ' 0', '0\u00e9', '-0', '+1', '0x']) {
      expect(() => fromHex(bad), bad).toThrow(expect.objectContaining({ code: 'PROTOCOL_BAD_HEX' }));
    }
  });

  it('uuidToBytes and bytesToUuid are inverse on canonical UUIDs, in either case', () => {
    fc.assert(
      fc.property(bytes16, fc.boolean(), (b, upper) => {
        const text = bytesToUuid(b);
        expect([...uuidToBytes(upper ? text.toUpperCase() : text)]).toEqual([...b]);
      }),
    );
  });

  it('uuidToBytes treats a malformed text exactly as the dash-stripping definition does', () => {
    const definition = (u: string) => fromHex(u.replace(/-/g, ''));
    for (const u of ['0123456789ab-cdef-0123-4567-89abcdef01', '01234567-89ab-cdef-0123-4567-89abcdef0z', 'abcd']) {
      let want: unknown;
      try {
        want = [...definition(u)];
      } catch (e) {
        want = (e as { code: string }).code;
      }
      let got: unknown;
      try {
        got = [...uuidToBytes(u)];
      } catch (e) {
        got = (e as { code: string }).code;
      }
      expect(got, u).toEqual(want);
    }
  });

  it('uuidToGuidBytes round-trips and hands out copies its cache does not share', () => {
    fc.assert(
      fc.property(bytes16, (b) => {
        const text = guidBytesToUuid(b);
        const first = uuidToGuidBytes(text);
        expect([...first]).toEqual([...b]);
        first.fill(0);
        expect([...uuidToGuidBytes(text)]).toEqual([...b]);
      }),
    );
  });

  it('a ByteWriter hands out exactly what was written, whether it grew, fit exactly or had room, and later writes never change it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 80 }), (data, capacity) => {
        const w = new ByteWriter(capacity);
        for (const b of data) w.u8(b);
        const out = w.finish();
        expect([...out]).toEqual([...data]);
        w.u32(0xffffffff).u8(0xee);
        expect([...out]).toEqual([...data]);
      }),
    );
  });
});
