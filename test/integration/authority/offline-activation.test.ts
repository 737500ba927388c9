// Activation by installation and confirmation ID between two data directories on real SQLite files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { QuorumError } from '../../../shared/domain/errors.js';
import {
  completeOfflineActivation,
  confirmInstallation,
  installKey,
  issueKey,
  keyInfo,
  readLedger,
  startOfflineActivation,
} from '../../../src-main/authority/index.js';

let root: string;
let authority: string;
let host: string;
const clock = new VirtualClock();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quorum-offline-'));
  authority = join(root, 'authority');
  host = join(root, 'host');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof QuorumError) return e.code;
    throw e;
  }
  return 'no error';
}

function mistype(id: string, index: number): string {
  const digits = [...id];
  let seen = -1;
  for (let i = 0; i < digits.length; i++) {
    if (!/\d/.test(digits[i]!)) continue;
    if (++seen === index) {
      digits[i] = String((Number(digits[i]) + 3) % 10);
      break;
    }
  }
  return digits.join('');
}

describe('offline activation', () => {
  it('completes the installation ID / confirmation ID round trip and records it in the ledger', () => {
    installKey(host, clock, issueKey(authority, clock, 'desktop', 3).text);
    const iid = startOfflineActivation(host, clock);
    expect(iid).toMatch(/^\d{7}(-\d{7}){7}$/);
    expect(keyInfo(host, clock)).toMatchObject({ state: 'installed', pendingInstallationId: iid });

    const c = confirmInstallation(authority, clock, iid.replace(/-/g, ' '));
    expect(c.confirmationId).toMatch(/^\d{7}(-\d{7}){2}$/);
    expect(c).toMatchObject({ hostsUsed: 1, activationNumber: 1 });

    const done = completeOfflineActivation(host, clock, c.confirmationId);
    expect(done.activation).toMatchObject({ method: 'offline', hostsUsed: 1, activationNumber: 1 });
    expect(keyInfo(host, clock).state).toBe('activated');
    expect(readLedger(authority, clock).keys[0]!.hosts[0]!.activations).toBe(1);
  });

  it('answers a repeated confirmation of the same installation ID with the same CID, counted once', () => {
    installKey(host, clock, issueKey(authority, clock, 'office', 3).text);
    const iid = startOfflineActivation(host, clock);
    const first = confirmInstallation(authority, clock, iid);
    const second = confirmInstallation(authority, clock, iid);
    expect(second.confirmationId).toBe(first.confirmationId);
    expect(readLedger(authority, clock).keys[0]!.hosts[0]!.activations).toBe(1);
  });

  it('catches a mistyped digit in any group of the confirmation ID and names that group', () => {
    installKey(host, clock, issueKey(authority, clock, 'desktop', 3).text);
    const iid = startOfflineActivation(host, clock);
    const { confirmationId } = confirmInstallation(authority, clock, iid);
    for (let d = 0; d < 21; d++) {
      const typo = mistype(confirmationId, d);
      try {
        completeOfflineActivation(host, clock, typo);
        throw new Error(`accepted ${typo}`);
      } catch (e) {
        expect(e).toBeInstanceOf(QuorumError);
        expect((e as QuorumError).code).toBe('CONFIRMATION_ID_GROUP_CHECK');
        expect((e as QuorumError).message).toContain(`Group ${Math.floor(d / 7) + 1} `);
      }
    }
    expect(keyInfo(host, clock).state).toBe('installed');
  });

  it('catches a mistyped installation ID on the authority side, naming the group', () => {
    installKey(host, clock, issueKey(authority, clock, 'desktop', 3).text);
    const iid = startOfflineActivation(host, clock);
    let error: unknown;
    try {
      confirmInstallation(authority, clock, mistype(iid, 30));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INSTALLATION_ID_GROUP_CHECK', message: expect.stringContaining('Group 5 ') });
    expect(readLedger(authority, clock).keys[0]!.hostsUsed).toBe(0);
  });

  it('refuses a confirmation ID made for another installation ID', () => {
    const key = issueKey(authority, clock, 'desktop', 3);
    const other = join(root, 'other');
    installKey(host, clock, key.text);
    installKey(other, clock, key.text);
    startOfflineActivation(host, clock);
    const foreign = confirmInstallation(authority, clock, startOfflineActivation(other, clock));
    expect(codeOf(() => completeOfflineActivation(host, clock, foreign.confirmationId))).toBe(
      'CONFIRMATION_ID_MISMATCH',
    );
  });

  it('applies the host limit to offline activations too', () => {
    const key = issueKey(authority, clock, 'server', 3);
    for (let h = 1; h <= 6; h++) {
      const dir = join(root, `h${h}`);
      installKey(dir, clock, key.text);
      completeOfflineActivation(
        dir,
        clock,
        confirmInstallation(authority, clock, startOfflineActivation(dir, clock)).confirmationId,
      );
    }
    installKey(host, clock, key.text);
    expect(codeOf(() => confirmInstallation(authority, clock, startOfflineActivation(host, clock)))).toBe(
      'KEY_HOST_LIMIT',
    );
  });

  it('says to start with --offline when a confirmation ID arrives with nothing pending', () => {
    installKey(host, clock, issueKey(authority, clock, 'desktop', 3).text);
    expect(codeOf(() => completeOfflineActivation(host, clock, '0000000-0000000-0000000'))).toBe(
      'KEY_NO_OFFLINE_REQUEST',
    );
  });
});
