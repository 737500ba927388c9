/**
 * What the `quorum key ...` and `quorum authority ...` commands do, on data directories: each
 * opens the directory's database and runs the operation of host-key-operations.ts on it, the same
 * one the console service runs on the running host's own connection.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../shared/domain/clock.js';
import type { ProductFamily } from '../../shared/domain/products.js';
import { maskHostKey, parseHostKey, type HostKey } from '../../shared/keys/index.js';
import { Authority, type ActivationGrant, type LedgerEntry } from './authority.js';
import { readAuthoritySecret, tagLabel } from './authority-secret.js';
import { confirmedByWrongAuthority, invalidKey, noAuthority, unprovenInstallation } from './errors.js';
import type { InstalledHostKey } from './host-key-repository.js';
import {
  activateOnlineIn,
  completeOfflineActivationIn,
  installKeyIn,
  issueKeyIn,
  keyInfoIn,
  startOfflineActivationIn,
  uninstallKeyIn,
  type ActivateOptions,
  type InstallResult,
  type KeyInfo,
} from './host-key-operations.js';
import { DB_FILE, notADataDirectory, openKeyDatabase } from './key-database.js';
import { storeError } from '../store/store-errors.js';
import { mintHostKey } from './key-authenticator.js';
import { buildConfirmationId, provesKey, readInstallationId } from './offline-ids.js';

export function withDb<T>(
  dataDir: string,
  clock: Clock,
  create: boolean,
  run: (db: ReturnType<typeof openKeyDatabase>) => T,
): T {
  const db = openKeyDatabase(dataDir, clock, { create });
  try {
    return run(db);
  } catch (e) {
    // A page damaged past the schema, or a lock held past the busy timeout, surfaces only when a
    // statement runs: name the file and what to do, as opening does (QuorumErrors pass through).
    throw storeError(join(dataDir, DB_FILE), e, 'reading or writing the host key tables');
  } finally {
    db.close();
  }
}

// ---- authority side ----

export function issueKey(dataDir: string, clock: Clock, family: ProductFamily, generation: number): HostKey {
  return withDb(dataDir, clock, true, (db) => issueKeyIn({ db, dataDir, clock }, family, generation));
}

export function readLedger(dataDir: string, clock: Clock): { authority: string | null; keys: LedgerEntry[] } {
  const secret = readAuthoritySecret(dataDir);
  if (!secret) {
    if (!existsSync(join(dataDir, DB_FILE))) throw notADataDirectory(dataDir);
    return { authority: null, keys: [] };
  }
  return withDb(dataDir, clock, false, (db) => {
    const authority = new Authority(db, secret, clock, dataDir);
    return { authority: authority.tag, keys: authority.ledger() };
  });
}

export interface OfflineConfirmation extends ActivationGrant {
  confirmationId: string;
  maskedKey: string;
}

/** `quorum authority confirm IID`: records the activation and answers with a confirmation ID. */
export function confirmInstallation(dataDir: string, clock: Clock, iidText: string): OfflineConfirmation {
  const request = readInstallationId(iidText);
  const secret = readAuthoritySecret(dataDir);
  if (!secret) throw noAuthority(dataDir);
  if (request.authorityTag !== secret.tag) {
    throw confirmedByWrongAuthority(tagLabel(request.authorityTag), tagLabel(secret.tag), dataDir);
  }
  // The IID does not spell out the key: this authority rebuilds the key it issued for these fields
  // and checks that the host proved holding exactly that key.
  const { family, generation, serial } = request;
  const key = mintHostKey(secret, { family, generation, serial });
  if (!provesKey(request, key)) throw unprovenInstallation();
  return withDb(dataDir, clock, false, (db) => {
    const grant = new Authority(db, secret, clock, dataDir).activate(key, request.hostId, 'offline', request.iid);
    return { ...grant, confirmationId: buildConfirmationId(key, request, grant), maskedKey: maskHostKey(key.text) };
  });
}

// ---- host side: the operations of host-key-operations.ts on a data directory ----

export type { ActivateOptions, InstallResult, KeyInfo } from './host-key-operations.js';

export function installKey(dataDir: string, clock: Clock, text: string): InstallResult {
  // The key is checked before the directory is created: a typo must not leave a data directory behind.
  const parsed = parseHostKey(text);
  if (!parsed.ok) throw invalidKey(parsed.error);
  return withDb(dataDir, clock, true, (db) => installKeyIn({ db, dataDir, clock }, text));
}

export function uninstallKey(dataDir: string, clock: Clock): boolean {
  return withDb(dataDir, clock, false, (db) => uninstallKeyIn({ db, dataDir, clock }));
}

/** `quorum key activate [--authority DIR]`: online activation against an authority's ledger. */
export function activateOnline(dataDir: string, clock: Clock, options: ActivateOptions = {}): InstalledHostKey {
  return withDb(dataDir, clock, false, (db) => activateOnlineIn({ db, dataDir, clock }, options));
}

/** `quorum key activate --offline`: the installation ID to read to the authority. */
export function startOfflineActivation(
  dataDir: string,
  clock: Clock,
  options: Pick<ActivateOptions, 'reactivate'> = {},
): string {
  return withDb(dataDir, clock, false, (db) => startOfflineActivationIn({ db, dataDir, clock }, options));
}

/** `quorum key activate --confirmation CID`: completes the offline activation. */
export function completeOfflineActivation(dataDir: string, clock: Clock, cidText: string): InstalledHostKey {
  return withDb(dataDir, clock, false, (db) => completeOfflineActivationIn({ db, dataDir, clock }, cidText));
}

export function keyInfo(dataDir: string, clock: Clock): KeyInfo {
  return withDb(dataDir, clock, false, (db) => keyInfoIn({ db, dataDir, clock }));
}
