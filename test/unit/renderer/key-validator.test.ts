// The host-key validator runs live in the console while the admin types, so it is checked here in
// the renderer's DOM environment (jsdom) against the same vectors as in Node.
import { describe, expect, it } from 'vitest';
import { maskHostKey, parseHostKey } from '../../../shared/keys/index.js';
import vectors from '../../vectors/keys.json';

describe('host key validator in the DOM environment', () => {
  it('runs where a DOM exists', () => {
    expect(typeof document).toBe('object');
  });

  it('accepts the valid vectors with their fields', () => {
    for (const v of vectors.valid) {
      const r = parseHostKey(v.text);
      expect(r.ok ? { ...r.key, text: undefined } : r.error).toEqual({ ...v.fields, text: undefined });
    }
  });

  it('rejects the invalid vectors at the group and position they name', () => {
    for (const v of vectors.invalid) {
      const r = parseHostKey(v.text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        const expected: Record<string, unknown> = { code: v.code };
        if ('group' in v) expected.group = v.group;
        if ('position' in v) expected.position = v.position;
        expect(r.error).toMatchObject(expected);
      }
    }
  });

  it('masks all but the last five characters', () => {
    expect(maskHostKey(vectors.valid[0]!.text)).toBe('*****-*****-*****-*****-8TXK2');
  });
});
