// How a key may be spelled between its symbols: what people paste from mail, chat and documents.
import { describe, expect, it } from 'vitest';
import { maskHostKey, normalizeHostKey, parseHostKey } from '../../../shared/keys/index.js';
import { KEY_VECTORS } from './key-vectors.js';

const key = KEY_VECTORS.valid[0]!.text;
const groups = key.split('-');

describe('separators in a typed key', () => {
  it('accepts a key with one or more dashes missing or misplaced when all 25 symbols are there', () => {
    const spellings = [
      `${groups[0]}-${groups[1]}${groups[2]}-${groups[3]}-${groups[4]}`,
      `${groups[0]}${groups[1]}-${groups[2]}-${groups[3]}-${groups[4]}`,
      `${groups[0]}-${groups[1]}-${groups[2]}-${groups[3]}${groups[4]}`,
      `${key.slice(0, 7)}-${key.slice(7).replace(/-/g, '')}`,
    ];
    for (const text of spellings) {
      const r = parseHostKey(text);
      expect(r.ok && r.key.text, text).toBe(key);
    }
  });

  it('accepts en and em dashes and non-breaking spaces, as word processors write them', () => {
    for (const sep of ['\u2013', '\u2014', '\u2010', '\u00a0', ' - ']) {
      const text = groups.join(sep);
      const r = parseHostKey(text);
      expect(r.ok && r.key.text, JSON.stringify(text)).toBe(key);
      expect(normalizeHostKey(text)).toBe(key.replace(/-/g, ''));
      expect(maskHostKey(text)).toBe(`*****-*****-*****-*****-${groups[4]}`);
    }
  });

  it('still names the short group when a symbol is missing', () => {
    const short = `${groups[0]}-${groups[1]!.slice(1)}-${groups[2]}-${groups[3]}-${groups[4]}`;
    const r = parseHostKey(short);
    expect(r).toMatchObject({ ok: false, error: { code: 'KEY_GROUP_LENGTH', group: 2 } });
  });

  it('still refuses a key whose symbols are right but one is mistyped, wherever the dashes are', () => {
    const compact = key.replace(/-/g, '');
    const typo = compact.slice(0, 12) + (compact[12] === '9' ? '8' : '9') + compact.slice(13);
    const r = parseHostKey(`${typo.slice(0, 10)}-${typo.slice(10)}`);
    expect(r).toMatchObject({ ok: false, error: { code: 'KEY_GROUP_CHECK', group: 3 } });
  });
});
