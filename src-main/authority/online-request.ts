/**
 * The host's current online activation request. Two `key activate` runs of one host at the same
 * time (two terminals, a double click in the console) must spend one activation, not two: the
 * check that the host is not yet activated and the choice of the request id happen in one
 * immediate transaction, so whoever comes second either sees the activation or sends the same
 * request id, which the authority answers with the grant it already made.
 */
import type { Database } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { HostKeyRepository, type HostKeyActivation, type InstalledHostKey } from './host-key-repository.js';
import { noKey } from './errors.js';

const SETTING = 'authority.pendingOnlineRequest';

export interface OnlineRequest {
  installed: InstalledHostKey;
  hostId: string;
  /** 32 hex digits; the same for every run that overlaps this one. */
  requestId: string;
}

/**
 * Reads the installed key and picks the request id to send. `refuse` is called with the installed
 * key inside the transaction (to refuse a reactivation nobody asked for).
 */
export function beginOnlineRequest(
  db: Database,
  now: number,
  refuse: (installed: InstalledHostKey) => void,
): OnlineRequest {
  return db
    .transaction((): OnlineRequest => {
      const repo = new HostKeyRepository(db);
      const installed = repo.get();
      if (!installed) throw noKey();
      refuse(installed);
      const hostId = repo.hostId(now);
      const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTING) as { value: string } | undefined;
      const pending = row ? (JSON.parse(row.value) as { requestId?: unknown; keyText?: unknown }) : undefined;
      if (pending && typeof pending.requestId === 'string' && pending.keyText === installed.key.text) {
        return { installed, hostId, requestId: pending.requestId };
      }
      const requestId = randomBytes(16).toString('hex');
      db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(
        SETTING,
        JSON.stringify({ requestId, keyText: installed.key.text }),
      );
      return { installed, hostId, requestId };
    })
    .immediate();
}

/** Records the grant and retires the request id, together. */
export function completeOnlineRequest(db: Database, activation: HostKeyActivation): InstalledHostKey {
  return db
    .transaction(() => {
      const repo = new HostKeyRepository(db);
      repo.setActivated(activation);
      db.prepare('DELETE FROM settings WHERE key = ?').run(SETTING);
      return repo.get()!;
    })
    .immediate();
}

/** The ledger's request reference of an online activation: scoped by key and host. */
export function onlineRequestRef(serial: number, hostId: string, requestId: string): string {
  return `online:${serial}:${hostId}:${requestId}`;
}
