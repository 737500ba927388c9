// What arrives as a "key" from a paste or a script: a minus sign for a dash, ten kilobytes of
// something else, terminal escape sequences. Each gets a specific answer, and nothing typed is
// echoed in a way a terminal would obey.
import { describe, expect, it } from 'vitest';
import { parseHostKey } from '../../../shared/keys/index.js';
import { runQuorum } from '../../support/quorum-cli.js';
import { tempDataDir } from '../../support/activated-host.js';
import { KEY_VECTORS } from './key-vectors.js';

const key = KEY_VECTORS.valid[0]!.text;

describe('hostile or odd key input', () => {
  it('accepts U+2212 MINUS SIGN between groups, like the other dashes', () => {
    const r = parseHostKey(key.replace(/-/g, '\u2212'));
    expect(r.ok && r.key.text).toBe(key);
  });

  it('says "too long" for 10 KB of key symbols, not that every group fails', () => {
    for (const text of ['A'.repeat(10_240), `${key}-`.repeat(400), `${key.replace(/-/g, '')}A`]) {
      const r = parseHostKey(text);
      expect(r).toMatchObject({ ok: false, error: { code: 'KEY_TOO_LONG' } });
      expect(!r.ok && r.error.message).toMatch(/^The key is too long: it has [\d,]+ characters; a host key has 25/);
    }
  });

  it('names a control character by its code point, never as the raw character', () => {
    const r = parseHostKey(`${key.slice(0, 2)}\u001b[2J${key.slice(2)}`);
    expect(r).toMatchObject({ ok: false, error: { code: 'KEY_CHARACTER', group: 1, position: 3 } });
    expect(!r.ok && r.error.message).toMatch(/^Group 1, character 3: U\+001B is not in Quorum keys/);
  });

  it('quorum key install echoes no raw control character, whatever was typed', async () => {
    const dataDir = tempDataDir();
    for (const typed of ['\u001b]0;owned\u0007', 'AB\u009b31mCD', 'x\u202eyz', 'A\r\nquorum: fake line']) {
      const r = await runQuorum('key', 'install', typed, '--data-dir', dataDir);
      expect(r.code).toBe(1);
      const raw = [...r.err].filter((c) => c !== '\n' && /[\p{Cc}\p{Cf}]/u.test(c));
      expect(raw, JSON.stringify(typed)).toEqual([]);
      expect(r.err.trim().split('\n'), JSON.stringify(typed)).toHaveLength(1);
    }
  });
});
