/**
 * What the `quorum key ...` and `quorum authority ...` commands do, on data directories, so the
 * CLI, the console service and the tests share one implementation.
 */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import type { ProductFamily } from '../../shared/domain/products.js';
import { maskHostKey, parseHostKey, type HostKey } from '../../shared/keys/index.js';
import { Authority, type ActivationGrant, type LedgerEntry } from './authority.js';
import { loadOrCreateAuthoritySecret, readAuthoritySecret, tagLabel } from './authority-secret.js';
import {
  ACTIVATIONS_PER_HOST,
  HOSTS_PER_KEY,
  confirmedByWrongAuthority,
  invalidKey,
  noAuthority,
  noKey,
  unprovenInstallation,
} from './errors.js';
import { HostKeyRepository, type InstalledHostKey } from './host-key-repository.js';
import { DB_FILE, notADataDirectory, openKeyDatabase } from './key-database.js';
import { storeError } from '../store/store-errors.js';
import { mintHostKey } from './key-authenticator.js';
import { beginOnlineRequest, completeOnlineRequest, onlineRequestRef } from './online-request.js';
import {
  buildConfirmationId,
  buildInstallationId,
  provesKey,
  readConfirmationId,
  readInstallationId,
} from './offline-ids.js';

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

function sameDir(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

// ---- authority side ----

export function issueKey(dataDir: string, clock: Clock, family: ProductFamily, generation: number): HostKey {
  return withDb(dataDir, clock, true, (db) =>
    new Authority(db, loadOrCreateAuthoritySecret(dataDir), clock, dataDir).issue(family, generation),
  );
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

// ---- host side ----

function isCurrentInstallationId(iid: string): boolean {
  try {
    readInstallationId(iid);
    return true;
  } catch {
    return false;
  }
}

export interface InstallResult {
  key: HostKey;
  /** The same key was installed already: nothing changed, its activation is kept. */
  alreadyInstalled: boolean;
}

export function installKey(dataDir: string, clock: Clock, text: string): InstallResult {
  const parsed = parseHostKey(text);
  if (!parsed.ok) throw invalidKey(parsed.error);
  return withDb(dataDir, clock, true, (db) => {
    const repo = new HostKeyRepository(db);
    repo.hostId(clock.now());
    // Installing the key that is already there must not drop the activation: the host would stop
    // serving and its next activation would spend one of its ten.
    if (repo.installedKeyText() === parsed.key.text) return { key: parsed.key, alreadyInstalled: true };
    repo.install(parsed.key, clock.now());
    return { key: parsed.key, alreadyInstalled: false };
  });
}

export function uninstallKey(dataDir: string, clock: Clock): boolean {
  return withDb(dataDir, clock, false, (db) => new HostKeyRepository(db).uninstall());
}

export interface ActivateOptions {
  /** Another installation's data directory; default: this one's embedded authority. */
  authorityDir?: string;
  /** Required to spend a reactivation on a host that is already activated. */
  reactivate?: boolean;
}

function installedOrThrow(repo: HostKeyRepository): InstalledHostKey {
  const installed = repo.get();
  if (!installed) throw noKey();
  return installed;
}

export function refuseSilentReactivation(installed: InstalledHostKey, reactivate: boolean | undefined): void {
  if (installed.activation && !reactivate) {
    const a = installed.activation;
    throw new QuorumError(
      'KEY_ALREADY_ACTIVATED',
      `This host is already activated with key ${maskHostKey(installed.key.text)} (activation ${a.activationNumber} of ${ACTIVATIONS_PER_HOST}).`,
      `Nothing to do. To spend a reactivation anyway (${ACTIVATIONS_PER_HOST - a.activationNumber} left), add --reactivate.`,
    );
  }
}

/** `quorum key activate [--authority DIR]`: online activation against an authority's ledger. */
export function activateOnline(dataDir: string, clock: Clock, options: ActivateOptions = {}): InstalledHostKey {
  const authorityDir = options.authorityDir ?? dataDir;
  const embedded = sameDir(authorityDir, dataDir);
  return withDb(dataDir, clock, false, (db) => {
    const request = beginOnlineRequest(db, clock.now(), (installed) =>
      refuseSilentReactivation(installed, options.reactivate),
    );
    const { key } = request.installed;
    const secret = readAuthoritySecret(authorityDir);
    if (!secret) throw noAuthority(authorityDir, embedded);
    const ref = onlineRequestRef(key.serial, request.hostId, request.requestId);
    const grant = embedded
      ? new Authority(db, secret, clock, authorityDir).activate(key, request.hostId, 'online', ref)
      : withDb(authorityDir, clock, false, (adb) =>
          new Authority(adb, secret, clock, authorityDir).activate(key, request.hostId, 'online', ref),
        );
    return completeOnlineRequest(db, {
      method: 'online',
      authority: embedded ? 'embedded' : resolve(authorityDir),
      at: grant.at,
      hostsUsed: grant.hostsUsed,
      activationNumber: grant.activationNumber,
    });
  });
}

/** `quorum key activate --offline`: the installation ID to read to the authority. */
export function startOfflineActivation(
  dataDir: string,
  clock: Clock,
  options: Pick<ActivateOptions, 'reactivate'> = {},
): string {
  return withDb(dataDir, clock, false, (db) => {
    const repo = new HostKeyRepository(db);
    const installed = installedOrThrow(repo);
    refuseSilentReactivation(installed, options.reactivate);
    // Asking again prints the same IID, so an admin who lost the output, or ran it twice, can still
    // use the first one: the authority counts a repeated IID once, and the CID fits it.
    if (installed.pendingIid && isCurrentInstallationId(installed.pendingIid)) return installed.pendingIid;
    const iid = buildInstallationId(installed.key, repo.hostId(clock.now()), randomInt(0x10000));
    repo.setPendingIid(iid);
    return iid;
  });
}

/** `quorum key activate --confirmation CID`: completes the offline activation. */
export function completeOfflineActivation(dataDir: string, clock: Clock, cidText: string): InstalledHostKey {
  return withDb(dataDir, clock, false, (db) => {
    const repo = new HostKeyRepository(db);
    const installed = installedOrThrow(repo);
    if (!installed.pendingIid && installed.activation) {
      const a = installed.activation;
      throw new QuorumError(
        'KEY_ALREADY_ACTIVATED',
        `This host is already activated with key ${maskHostKey(installed.key.text)} (activation ${a.activationNumber} of ${ACTIVATIONS_PER_HOST}, ${a.method}); no installation ID is waiting for a confirmation ID.`,
        'Nothing to do. To reactivate offline, run quorum key activate --offline --reactivate first.',
      );
    }
    if (!installed.pendingIid) {
      throw new QuorumError(
        'KEY_NO_OFFLINE_REQUEST',
        'This host has not printed an installation ID for its key, so there is nothing to confirm.',
        'Run quorum key activate --offline first, give the installation ID to the authority, then use the confirmation ID it returns.',
      );
    }
    const c = readConfirmationId(cidText, installed.key, installed.pendingIid);
    repo.setActivated({
      method: 'offline',
      authority: 'by confirmation ID',
      at: clock.now(),
      hostsUsed: c.hostsUsed,
      activationNumber: c.activationNumber,
    });
    return repo.get()!;
  });
}

export interface KeyInfo {
  installed: boolean;
  maskedKey?: string;
  family?: ProductFamily;
  generation?: number;
  state: 'no-key' | 'installed' | 'activated';
  activation?: InstalledHostKey['activation'];
  hostsLimit: number;
  activationsLimit: number;
  pendingInstallationId?: string;
}

export function keyInfo(dataDir: string, clock: Clock): KeyInfo {
  return withDb(dataDir, clock, false, (db) => {
    const installed = new HostKeyRepository(db).get();
    const limits = { hostsLimit: HOSTS_PER_KEY, activationsLimit: ACTIVATIONS_PER_HOST };
    if (!installed) return { installed: false, state: 'no-key', ...limits };
    const info: KeyInfo = {
      installed: true,
      maskedKey: maskHostKey(installed.key.text),
      family: installed.key.family,
      generation: installed.key.generation,
      state: installed.activation ? 'activated' : 'installed',
      activation: installed.activation,
      ...limits,
    };
    if (installed.pendingIid && !installed.activation) info.pendingInstallationId = installed.pendingIid;
    return info;
  });
}
