// The key limits on real SQLite files: one data directory is the authority, each host is its own
// data directory (docs/model.md: six hosts per key, ten activations per host).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { QuorumError } from '../../../shared/domain/errors.js';
import { encodeHostKey, parseHostKey } from '../../../shared/keys/index.js';
import {
  activateOnline,
  coveredProducts,
  installKey,
  issueKey,
  keyInfo,
  readLedger,
  servingState,
  uninstallKey,
} from '../../../src-main/authority/index.js';
import { openKeyDatabase } from '../../../src-main/authority/key-database.js';

let root: string;
const clock = new VirtualClock();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quorum-keys-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function refusal(run: () => unknown): QuorumError {
  try {
    run();
  } catch (e) {
    if (e instanceof QuorumError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('six hosts per key', () => {
  it('activates six data directories and refuses the seventh with KEY_HOST_LIMIT', () => {
    const authority = join(root, 'authority');
    const key = issueKey(authority, clock, 'desktop', 3);
    for (let h = 1; h <= 6; h++) {
      const host = join(root, `host-${h}`);
      installKey(host, clock, key.text);
      const done = activateOnline(host, clock, { authorityDir: authority });
      expect(done.activation).toMatchObject({ hostsUsed: h, activationNumber: 1, method: 'online' });
    }
    const seventh = join(root, 'host-7');
    installKey(seventh, clock, key.text);
    const e = refusal(() => activateOnline(seventh, clock, { authorityDir: authority }));
    expect(e.code).toBe('KEY_HOST_LIMIT');
    expect(e.message).toContain('6 of 6 hosts');
    expect(e.message).toContain('host 7');
    expect(e.message).not.toContain(key.text);
    expect(e.hint).toMatch(/another key|Reactivate/);
    // The refused host stays unactivated and does not serve; the ledger still counts six.
    expect(keyInfo(seventh, clock).state).toBe('installed');
    expect(readLedger(authority, clock).keys[0]).toMatchObject({ hostsUsed: 6, hostsLimit: 6 });
    // A host already counted may still reactivate: the limit is on distinct hosts.
    const again = activateOnline(join(root, 'host-3'), clock, { authorityDir: authority, reactivate: true });
    expect(again.activation).toMatchObject({ hostsUsed: 6, activationNumber: 2 });
  });
});

describe('ten activations per host', () => {
  it('activates one host ten times and refuses the eleventh with KEY_REACTIVATION_LIMIT', () => {
    const dir = join(root, 'host');
    const key = issueKey(dir, clock, 'server', 3);
    installKey(dir, clock, key.text);
    for (let n = 1; n <= 10; n++) {
      clock.advance(60_000);
      const done = activateOnline(dir, clock, { reactivate: n > 1 });
      expect(done.activation).toMatchObject({ hostsUsed: 1, activationNumber: n });
    }
    const e = refusal(() => activateOnline(dir, clock, { reactivate: true }));
    expect(e.code).toBe('KEY_REACTIVATION_LIMIT');
    expect(e.message).toContain('10 of 10 activations');
    expect(e.message).toContain('nine reactivations'.replace('nine', '9'));
    expect(keyInfo(dir, clock).activation).toMatchObject({ activationNumber: 10 });
  });

  it('counts uninstall, install and activate of the same directory as a reactivation, not a new host', () => {
    const dir = join(root, 'host');
    const key = issueKey(dir, clock, 'office', 2);
    installKey(dir, clock, key.text);
    activateOnline(dir, clock);
    expect(uninstallKey(dir, clock)).toBe(true);
    installKey(dir, clock, key.text);
    const done = activateOnline(dir, clock);
    expect(done.activation).toMatchObject({ hostsUsed: 1, activationNumber: 2 });
  });

  it('does not spend a reactivation by accident on an activated host', () => {
    const dir = join(root, 'host');
    installKey(dir, clock, issueKey(dir, clock, 'desktop', 3).text);
    activateOnline(dir, clock);
    expect(refusal(() => activateOnline(dir, clock)).code).toBe('KEY_ALREADY_ACTIVATED');
    expect(readLedger(dir, clock).keys[0]!.hosts[0]!.activations).toBe(1);
  });
});

describe('which authority', () => {
  it('refuses a key issued by another authority, and one whose authenticator was forged', () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const keyA = issueKey(a, clock, 'desktop', 3);
    issueKey(b, clock, 'desktop', 3);
    installKey(b, clock, keyA.text);
    expect(refusal(() => activateOnline(b, clock)).code).toBe('KEY_WRONG_AUTHORITY');

    const forged = encodeHostKey({ ...keyA, authenticator: (keyA.authenticator + 1) % 2 ** 40 });
    const host = join(root, 'host');
    installKey(host, clock, forged.text);
    const e = refusal(() => activateOnline(host, clock, { authorityDir: a }));
    expect(e.code).toBe('KEY_NOT_GENUINE');
    expect(readLedger(a, clock).keys[0]!.hostsUsed).toBe(0);
  });

  it('says what to do when the embedded authority has issued nothing, or --authority is not a data directory', () => {
    const a = join(root, 'a');
    const host = join(root, 'host');
    installKey(host, clock, issueKey(a, clock, 'desktop', 3).text);
    const e = refusal(() => activateOnline(host, clock));
    expect(e.code).toBe('AUTHORITY_NOT_FOUND');
    expect(e.hint).toContain('--authority');
    expect(refusal(() => activateOnline(host, clock, { authorityDir: join(root, 'nowhere') })).code).toBe(
      'AUTHORITY_NOT_FOUND',
    );
  });

  it('refuses to install a mistyped key, naming the group, and keeps the installed one', () => {
    const dir = join(root, 'host');
    const key = issueKey(dir, clock, 'desktop', 3);
    installKey(dir, clock, key.text);
    const typo = key.text.slice(0, 12) + (key.text[12] === '9' ? '8' : '9') + key.text.slice(13);
    const e = refusal(() => installKey(dir, clock, typo));
    expect(e.code).toBe('KEY_GROUP_CHECK');
    expect(e.message).toContain('Group 3');
    expect(keyInfo(dir, clock).maskedKey).toBe(`*****-*****-*****-*****-${key.text.slice(-5)}`);
  });

  it('keeps the authority secret owner-only and the key text out of the ledger', () => {
    const dir = join(root, 'a');
    const key = issueKey(dir, clock, 'desktop', 3);
    expect(statSync(join(dir, 'authority-secret')).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(readLedger(dir, clock))).not.toContain(key.text.slice(0, 5));
  });
});

describe('serving gate', () => {
  it('serves only once the key is activated, and only the products the key covers', () => {
    const dir = join(root, 'host');
    const gate = () => {
      const db = openKeyDatabase(dir, clock);
      try {
        return { state: servingState(db), covered: coveredProducts(db) };
      } finally {
        db.close();
      }
    };
    expect(gate().state).toMatchObject({ serving: false, reason: expect.stringContaining('No host key is installed') });
    const key = issueKey(dir, clock, 'server', 2);
    installKey(dir, clock, key.text);
    expect(gate().state).toMatchObject({ serving: false, reason: expect.stringContaining('quorum key activate') });
    expect(gate().covered).toBeNull();
    activateOnline(dir, clock);
    expect(gate()).toEqual({ state: { serving: true }, covered: { family: 'server', maxGeneration: 2 } });
  });

  it('reports a damaged stored key instead of serving with it', () => {
    const dir = join(root, 'host');
    installKey(dir, clock, issueKey(dir, clock, 'desktop', 3).text);
    const raw = new Database(join(dir, 'quorum.db'));
    raw.prepare("UPDATE host_key SET key_text = 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA'").run();
    raw.close();
    expect(parseHostKey('AAAAA-AAAAA-AAAAA-AAAAA-AAAAA').ok).toBe(false);
    expect(refusal(() => keyInfo(dir, clock)).code).toBe('KEY_STORE_DAMAGED');
  });
});
