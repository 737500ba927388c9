import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KEY_ALPHABET,
  encodeHostKey,
  formatHostKey,
  lastFiveOf,
  maskHostKey,
  parseHostKey,
  type HostKeyFields,
} from '../../../shared/keys/index.js';
import { KEY_VECTORS } from './key-vectors.js';

const fieldsArb: fc.Arbitrary<HostKeyFields> = fc.record({
  family: fc.constantFrom('desktop' as const, 'server' as const, 'office' as const),
  generation: fc.integer({ min: 1, max: 31 }),
  serial: fc.integer({ min: 0, max: 2 ** 28 - 1 }),
  authorityTag: fc.integer({ min: 0, max: 0xffff }),
  authenticator: fc.integer({ min: 0, max: 2 ** 40 - 1 }),
});

describe('host key vectors', () => {
  it('encodes each valid vector to its text and parses it back to its fields', () => {
    for (const v of KEY_VECTORS.valid) {
      expect(encodeHostKey(v.fields).text).toBe(v.text);
      const r = parseHostKey(v.text);
      expect(r).toEqual({ ok: true, key: { ...v.fields, text: v.text } });
    }
  });

  it('accepts lower case, missing dashes and spaces as the same key', () => {
    for (const text of KEY_VECTORS.same) {
      const r = parseHostKey(text);
      expect(r.ok && r.key.text).toBe(KEY_VECTORS.valid[0]!.text);
    }
  });

  it('rejects each invalid vector with its code, group and position', () => {
    for (const v of KEY_VECTORS.invalid) {
      const r = parseHostKey(v.text);
      expect(r.ok, v.text).toBe(false);
      if (r.ok) continue;
      expect(r.error.code, v.text).toBe(v.code);
      expect(r.error.group, v.text).toBe(v.group);
      expect(r.error.position, v.text).toBe(v.position);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe('typo detection', () => {
  it('detects every single wrong character in every position and names its group and position', () => {
    // Exhaustive: 4 keys x 25 positions x 28 other symbols = 2800 typos.
    for (const v of KEY_VECTORS.valid) {
      const compact = v.text.replace(/-/g, '');
      for (let i = 0; i < compact.length; i++) {
        for (const c of KEY_ALPHABET) {
          if (c === compact[i]) continue;
          const typo = compact.slice(0, i) + c + compact.slice(i + 1);
          const r = parseHostKey(formatHostKey(typo));
          expect(r.ok, typo).toBe(false);
          if (r.ok) continue;
          expect(r.error.code).toBe('KEY_GROUP_CHECK');
          expect(r.error.group).toBe(Math.floor(i / 5) + 1);
          expect(r.error.position).toBe((i % 5) + 1);
        }
      }
    }
  });

  it('detects neighbours swapped inside a group, and names the group', () => {
    fc.assert(
      fc.property(fieldsArb, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), (f, g, k) => {
        const compact = encodeHostKey(f).text.replace(/-/g, '');
        const i = g * 5 + k;
        fc.pre(compact[i] !== compact[i + 1]);
        const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
        const r = parseHostKey(swapped);
        return !r.ok && r.error.group === g + 1;
      }),
      { numRuns: 300 },
    );
  });

  it('names a character that is never in keys, with a look-alike hint', () => {
    const text = KEY_VECTORS.valid[0]!.text.replace(/^(.{6})./, '$1I');
    const r = parseHostKey(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'KEY_CHARACTER', group: 2, position: 1 });
      expect(r.error.message).toContain('no 1, I or L');
    }
  });

  it('checks complete groups while the key is still being typed', () => {
    const good = KEY_VECTORS.valid[0]!.text;
    const partial = good.slice(0, 8);
    expect(parseHostKey(partial)).toMatchObject({ ok: false, error: { code: 'KEY_INCOMPLETE', group: 2 } });
    const badFirstGroup = `${good[1]}${good[0]}${good.slice(2, 8)}`;
    expect(parseHostKey(badFirstGroup)).toMatchObject({ ok: false, error: { code: 'KEY_GROUP_CHECK', group: 1 } });
  });
});

describe('round trip and display', () => {
  it('parses every encoded key back to its fields', () => {
    fc.assert(
      fc.property(fieldsArb, (f) => {
        const key = encodeHostKey(f);
        expect(key.text).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{5}){4}$/);
        expect(parseHostKey(key.text)).toEqual({ ok: true, key });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses fields out of range when encoding', () => {
    const f = KEY_VECTORS.valid[0]!.fields;
    expect(() => encodeHostKey({ ...f, generation: 0 })).toThrow(RangeError);
    expect(() => encodeHostKey({ ...f, serial: 2 ** 28 })).toThrow(RangeError);
    expect(() => encodeHostKey({ ...f, authenticator: 2 ** 40 })).toThrow(RangeError);
  });

  it('masks everything but the last five characters, whatever it is given', () => {
    const text = KEY_VECTORS.valid[1]!.text;
    expect(maskHostKey(text)).toBe('*****-*****-*****-*****-BK72Z');
    expect(maskHostKey(text.toLowerCase().replace(/-/g, ''))).toBe('*****-*****-*****-*****-BK72Z');
    expect(maskHostKey(text)).not.toContain(text.slice(0, 5));
    expect(maskHostKey('ABC')).toBe('*****-*****-*****-*****-*****');
    expect(lastFiveOf(text)).toBe('BK72Z');
  });
});
