// Defects found walking the key commands as a new user, on real SQLite files and data directories.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { QuorumError } from '../../../shared/domain/errors.js';
import { encodeDigitGroups, encodeHostKey, payloadOf } from '../../../shared/keys/index.js';
import {
  activateOnline,
  completeOfflineActivation,
  confirmInstallation,
  installKey,
  issueKey,
  keyInfo,
  readLedger,
  startOfflineActivation,
} from '../../../src-main/authority/index.js';

let root: string;
const clock = new VirtualClock();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quorum-review-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function refusal(run: () => unknown): QuorumError {
  try {
    run();
  } catch (e) {
    if (e instanceof QuorumError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

function iidNumber(iid: string): bigint {
  return BigInt(
    iid
      .split('-')
      .map((g) => g.slice(0, 6))
      .join(''),
  );
}

describe('installation IDs', () => {
  it('do not spell out the key: the 92-bit key payload is nowhere in the IID', () => {
    const authority = join(root, 'authority');
    const host = join(root, 'host');
    const key = issueKey(authority, clock, 'desktop', 3);
    installKey(host, clock, key.text);
    const n = iidNumber(startOfflineActivation(host, clock));
    const payload = payloadOf(key);
    for (let shift = 0n; shift < 160n; shift++) {
      expect((n >> shift) & ((1n << 92n) - 1n)).not.toBe(payload);
    }
    // Nor its authenticator, the part only the authority can compute.
    for (let shift = 0n; shift < 160n; shift++) {
      expect((n >> shift) & 0xffffffffffn).not.toBe(BigInt(key.authenticator));
    }
  });

  it('are refused by the authority when made with a key it did not issue (forged authenticator)', () => {
    const authority = join(root, 'authority');
    const host = join(root, 'host');
    const key = issueKey(authority, clock, 'server', 3);
    const forged = encodeHostKey({ ...key, authenticator: (key.authenticator + 1) % 2 ** 40 });
    installKey(host, clock, forged.text);
    const e = refusal(() => confirmInstallation(authority, clock, startOfflineActivation(host, clock)));
    expect(e.code).toBe('INSTALLATION_ID_NOT_GENUINE');
    expect(readLedger(authority, clock).keys[0]!.hostsUsed).toBe(0);
  });

  it('of the old format (which held the whole key) are refused with what to do', () => {
    const authority = join(root, 'authority');
    const key = issueKey(authority, clock, 'desktop', 3);
    const old = encodeDigitGroups((1n << 148n) | (payloadOf(key) << 56n) | (0x0102030405n << 16n) | 7n, 8);
    const e = refusal(() => confirmInstallation(authority, clock, old));
    expect(e.code).toBe('INSTALLATION_ID_UNKNOWN');
    expect(e.hint).toContain('quorum key activate --offline');
  });

  it('are the same when --offline is asked twice, so the first one read out still completes', () => {
    const authority = join(root, 'authority');
    const host = join(root, 'host');
    installKey(host, clock, issueKey(authority, clock, 'office', 3).text);
    const first = startOfflineActivation(host, clock);
    expect(startOfflineActivation(host, clock)).toBe(first);
    const { confirmationId } = confirmInstallation(authority, clock, first);
    expect(completeOfflineActivation(host, clock, confirmationId).activation).toMatchObject({ activationNumber: 1 });
  });

  it('confirmed on an authority that did not issue the key say which authority to use, recording nothing', () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const host = join(root, 'host');
    installKey(host, clock, issueKey(a, clock, 'desktop', 3).text);
    issueKey(b, clock, 'desktop', 3);
    const e = refusal(() => confirmInstallation(b, clock, startOfflineActivation(host, clock)));
    expect(e.code).toBe('KEY_WRONG_AUTHORITY');
    expect(e.hint).toContain('quorum authority confirm');
    expect(e.hint).not.toContain('key activate --authority');
    expect(readLedger(b, clock).keys[0]!.hostsUsed).toBe(0);
  });
});

describe('the wrong order', () => {
  it('a confirmation ID typed again after the host is activated says it is already activated', () => {
    const dir = join(root, 'host');
    installKey(dir, clock, issueKey(dir, clock, 'desktop', 3).text);
    const { confirmationId } = confirmInstallation(dir, clock, startOfflineActivation(dir, clock));
    completeOfflineActivation(dir, clock, confirmationId);
    const e = refusal(() => completeOfflineActivation(dir, clock, confirmationId));
    expect(e.code).toBe('KEY_ALREADY_ACTIVATED');
    expect(e.hint).toContain('--offline --reactivate');
  });

  it('installing the key that is already installed keeps the activation and spends nothing', () => {
    const dir = join(root, 'host');
    const key = issueKey(dir, clock, 'desktop', 3);
    expect(installKey(dir, clock, key.text).alreadyInstalled).toBe(false);
    activateOnline(dir, clock);
    expect(installKey(dir, clock, key.text.toLowerCase()).alreadyInstalled).toBe(true);
    expect(keyInfo(dir, clock)).toMatchObject({ state: 'activated', activation: { activationNumber: 1 } });
    expect(readLedger(dir, clock).keys[0]!.hosts[0]!.activations).toBe(1);
  });

  it('--authority naming a directory that does not exist says so', () => {
    const host = join(root, 'host');
    installKey(host, clock, issueKey(join(root, 'a'), clock, 'desktop', 3).text);
    const e = refusal(() => activateOnline(host, clock, { authorityDir: join(root, 'typo') }));
    expect(e.code).toBe('AUTHORITY_NOT_FOUND');
    expect(e.message).toContain('does not exist');
  });
});

describe('a damaged authority database', () => {
  it('is reported with its code and file, not as a bare SQLite message', () => {
    const authority = join(root, 'authority');
    const host = join(root, 'host');
    const key = issueKey(authority, clock, 'desktop', 3);
    installKey(host, clock, key.text);
    // Pages past the schema are overwritten: the file still opens, the ledger's pages do not read.
    const fd = openSync(join(authority, 'quorum.db'), 'r+');
    writeSync(fd, Buffer.from('garbage'.repeat(10_000)), 0, 70_000, 4096);
    closeSync(fd);
    const e = refusal(() => activateOnline(host, clock, { authorityDir: authority }));
    expect(e.code).toBe('STORE_CORRUPT');
    expect(e.message).toContain(join(authority, 'quorum.db'));
    expect(keyInfo(host, clock).state).toBe('installed');
  });
});
