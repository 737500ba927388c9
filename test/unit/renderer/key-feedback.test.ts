// What the key field and the confirmation-ID groups say while they are typed, in the renderer's DOM
// environment: the group named, per-group states, and the coverage once the key checks.
import { describe, expect, it } from 'vitest';
import { checkDigitGroup, encodeDigitGroups } from '../../../shared/keys/index.js';
import { keyFeedback } from '../../../src-renderer/src/lib/key-feedback.js';
import vectors from '../../vectors/keys.json';

const valid = vectors.valid[0]!.text;

describe('key field feedback', () => {
  it('counts characters while the key is incomplete and its complete groups check', () => {
    const f = keyFeedback(valid.slice(0, 8));
    expect(f).toMatchObject({ state: 'typing', message: '7 of 25 characters.' });
    expect(f.groups).toEqual(['ok', 'partial', 'empty', 'empty', 'empty']);
  });

  it('names the group of a typo as soon as that group is complete, and marks it', () => {
    const groups = valid.split('-');
    groups[2] = (groups[2]![0] === 'A' ? 'B' : 'A') + groups[2]!.slice(1);
    const f = keyFeedback(groups.slice(0, 3).join('-'));
    expect(f.state).toBe('error');
    expect(f.group).toBe(3);
    expect(f.message).toMatch(/^Group 3 does not check/);
    expect(f.groups).toEqual(['ok', 'ok', 'error', 'empty', 'empty']);
  });

  it('says what a valid key covers, in any case and with any separators', () => {
    const f = keyFeedback(valid.toLowerCase().replaceAll('-', ' '));
    expect(f.state).toBe('ok');
    expect(f.key).toBe(valid);
    expect(f.message).toMatch(/^The key checks\. It covers \w+/);
  });
});

describe('one digit group at a time', () => {
  const id = encodeDigitGroups(123456789012345678n, 3).split('-');

  it('accepts each group in its place and refuses it in another', () => {
    id.forEach((g, i) => expect(checkDigitGroup(i, g)).toBe('ok'));
    expect(checkDigitGroup(1, id[0]!)).toBe('mistyped');
  });

  it('catches a single wrong digit, and tells incomplete and non-digits apart', () => {
    const g = id[1]!;
    const wrong = `${g.slice(0, 3)}${(Number(g[3]) + 1) % 10}${g.slice(4)}`;
    expect(checkDigitGroup(1, wrong)).toBe('mistyped');
    expect(checkDigitGroup(1, g.slice(0, 5))).toBe('incomplete');
    expect(checkDigitGroup(1, '12a4567')).toBe('not-digits');
  });
});
