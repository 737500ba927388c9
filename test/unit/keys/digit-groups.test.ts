import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dammDigit, encodeDigitGroups, parseDigitGroups } from '../../../shared/keys/index.js';

describe('digit groups (installation and confirmation IDs)', () => {
  it('computes the Damm check digit of the published example', () => {
    // Wikipedia's worked example: 572 has check digit 4.
    expect(dammDigit([5, 7, 2])).toBe(4);
    expect(dammDigit([5, 7, 2, 4])).toBe(0);
  });

  it('round-trips numbers through groups of 7 digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n - 1n }), (n) => {
        const text = encodeDigitGroups(n, 4);
        expect(text).toMatch(/^\d{7}(-\d{7}){3}$/);
        expect(parseDigitGroups(text.replace(/-/g, ' '), 4, 'ID')).toEqual({ ok: true, value: n });
      }),
      { numRuns: 200 },
    );
  });

  it('catches every single wrong digit and names its group', () => {
    const text = encodeDigitGroups(123456789012345678n, 3).replace(/-/g, '');
    for (let i = 0; i < text.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === text[i]) continue;
        const typo = text.slice(0, i) + d + text.slice(i + 1);
        const r = parseDigitGroups(typo, 3, 'confirmation ID');
        expect(r.ok, typo).toBe(false);
        if (!r.ok) expect(r.error).toMatchObject({ kind: 'GROUP_CHECK', group: Math.floor(i / 7) + 1 });
      }
    }
  });

  it('catches swapped neighbouring digits and swapped groups', () => {
    const groups = encodeDigitGroups(987654321098765432n, 3).split('-');
    const text = groups.join('');
    for (let i = 0; i + 1 < text.length; i++) {
      if (text[i] === text[i + 1] || i % 7 === 6) continue;
      const swapped = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
      expect(parseDigitGroups(swapped, 3, 'ID').ok, swapped).toBe(false);
    }
    expect(parseDigitGroups([groups[1], groups[0], groups[2]].join('-'), 3, 'ID').ok).toBe(false);
  });

  it('says what is wrong with the shape of the input', () => {
    const good = encodeDigitGroups(42n, 3);
    expect(parseDigitGroups('', 3, 'ID')).toMatchObject({ ok: false, error: { kind: 'EMPTY' } });
    expect(parseDigitGroups(good.replace(/^./, 'x'), 3, 'ID')).toMatchObject({
      ok: false,
      error: { kind: 'CHARACTER', group: 1 },
    });
    expect(parseDigitGroups(good.slice(0, 10), 3, 'ID')).toMatchObject({
      ok: false,
      error: { kind: 'LENGTH', group: 2 },
    });
    expect(parseDigitGroups(good.replace(/-/g, '').slice(1), 3, 'ID')).toMatchObject({
      ok: false,
      error: { kind: 'LENGTH' },
    });
  });
});
