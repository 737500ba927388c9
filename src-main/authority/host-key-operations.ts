/**
 * The key operations on one open database handle: the running host's own store connection (the
 * console service) or a handle the CLI opened on a data directory (key-operations.ts). One
 * implementation, so the console and `quorum key ...` keep the same rules, errors and limits.
 */
import type { Database } from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { BUILTIN_PRODUCTS, type ProductFamily } from '../../shared/domain/products.js';
import { maskHostKey, parseHostKey, type HostKey } from '../../shared/keys/index.js';
import { storeError } from '../store/store-errors.js';
import { Authority } from './authority.js';
import { loadOrCreateAuthoritySecret, readAuthoritySecret } from './authority-secret.js';
import { ACTIVATIONS_PER_HOST, HOSTS_PER_KEY, invalidKey, noAuthority, noKey } from './errors.js';
import { HostKeyRepository, type InstalledHostKey } from './host-key-repository.js';
import { DB_FILE, openKeyDatabase } from './key-database.js';
import { buildInstallationId, readConfirmationId, readInstallationId } from './offline-ids.js';
import { beginOnlineRequest, completeOnlineRequest, onlineRequestRef } from './online-request.js';

/** The database handle of a data directory, and that directory (where its authority secret lives). */
export interface KeyTarget {
  db: Database;
  dataDir: string;
  clock: Clock;
}

/**
 * Runs `run` on the target's handle; a damaged page or a lock held past the busy timeout surfaces
 * only when a statement runs, so it is named with the file and what to do (QuorumErrors pass).
 */
export function onTarget<T>(target: Pick<KeyTarget, 'dataDir'>, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw storeError(join(target.dataDir, DB_FILE), e, 'reading or writing the host key tables');
  }
}

/** The newest product generation of a family: what a new key covers unless told otherwise. */
export function newestGeneration(family: ProductFamily): number {
  return Math.max(...BUILTIN_PRODUCTS.filter((p) => p.family === family).map((p) => p.generation));
}

/** `quorum authority issue` / the console's "issue a key on this PC". */
export function issueKeyIn(t: KeyTarget, family: ProductFamily, generation = newestGeneration(family)): HostKey {
  return onTarget(t, () =>
    new Authority(t.db, loadOrCreateAuthoritySecret(t.dataDir), t.clock, t.dataDir).issue(family, generation),
  );
}

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

export function installKeyIn(t: KeyTarget, text: string): InstallResult {
  const parsed = parseHostKey(text);
  if (!parsed.ok) throw invalidKey(parsed.error);
  return onTarget(t, () => {
    const repo = new HostKeyRepository(t.db);
    repo.hostId(t.clock.now());
    // Installing the key that is already there must not drop the activation: the host would stop
    // serving and its next activation would spend one of its ten.
    if (repo.installedKeyText() === parsed.key.text) return { key: parsed.key, alreadyInstalled: true };
    repo.install(parsed.key, t.clock.now());
    return { key: parsed.key, alreadyInstalled: false };
  });
}

export function uninstallKeyIn(t: KeyTarget): boolean {
  return onTarget(t, () => new HostKeyRepository(t.db).uninstall());
}

export interface ActivateOptions {
  /** Another installation's data directory; default: this one's embedded authority. */
  authorityDir?: string;
  /** Required to spend a reactivation on a host that is already activated. */
  reactivate?: boolean;
  /**
   * The reactivation (1..9) the person confirmed spending. When given and the host's next
   * activation is not that one (another reactivation happened meanwhile), nothing is spent.
   */
  confirmedReactivation?: number;
}

function installedOrThrow(repo: HostKeyRepository): InstalledHostKey {
  const installed = repo.get();
  if (!installed) throw noKey();
  return installed;
}

export function refuseSilentReactivation(
  installed: InstalledHostKey,
  options: Pick<ActivateOptions, 'reactivate' | 'confirmedReactivation'>,
): void {
  const a = installed.activation;
  if (a && !options.reactivate) {
    throw new QuorumError(
      'KEY_ALREADY_ACTIVATED',
      `This host is already activated with key ${maskHostKey(installed.key.text)} (activation ${a.activationNumber} of ${ACTIVATIONS_PER_HOST}).`,
      `Nothing to do. To spend a reactivation anyway (${ACTIVATIONS_PER_HOST - a.activationNumber} left), add --reactivate.`,
    );
  }
  const confirmed = options.confirmedReactivation;
  if (confirmed !== undefined && (a?.activationNumber ?? 0) !== confirmed) {
    throw new QuorumError(
      'KEY_REACTIVATION_CHANGED',
      `You confirmed spending reactivation ${confirmed} of ${ACTIVATIONS_PER_HOST - 1}, but this host's next activation would be ${a ? `reactivation ${a.activationNumber}` : 'its first activation'}; nothing was spent.`,
      'The key state changed since the confirmation was shown: look at the key again and confirm what it says now.',
    );
  }
}

/** Another installation's authority: its own database, opened for this one grant. */
function withAuthorityDir<T>(dir: string, clock: Clock, run: (db: Database) => T): T {
  const db = openKeyDatabase(dir, clock, { create: false });
  try {
    return onTarget({ dataDir: dir }, () => run(db));
  } finally {
    db.close();
  }
}

/** Online activation against an authority's ledger (this directory's embedded one by default). */
export function activateOnlineIn(t: KeyTarget, options: ActivateOptions = {}): InstalledHostKey {
  const authorityDir = options.authorityDir ?? t.dataDir;
  const embedded = resolve(authorityDir) === resolve(t.dataDir);
  return onTarget(t, () => {
    // The check and the choice of request id in one transaction: two runs at once spend one activation.
    const request = beginOnlineRequest(t.db, t.clock.now(), (installed) =>
      refuseSilentReactivation(installed, options),
    );
    const { key } = request.installed;
    const secret = readAuthoritySecret(authorityDir);
    if (!secret) throw noAuthority(authorityDir, embedded);
    const ref = onlineRequestRef(key.serial, request.hostId, request.requestId);
    const grant = embedded
      ? new Authority(t.db, secret, t.clock, authorityDir).activate(key, request.hostId, 'online', ref)
      : withAuthorityDir(authorityDir, t.clock, (adb) =>
          new Authority(adb, secret, t.clock, authorityDir).activate(key, request.hostId, 'online', ref),
        );
    return completeOnlineRequest(t.db, {
      method: 'online',
      authority: embedded ? 'embedded' : resolve(authorityDir),
      at: grant.at,
      hostsUsed: grant.hostsUsed,
      activationNumber: grant.activationNumber,
    });
  });
}

/** Offline activation, first half: the installation ID to read to the authority. */
export function startOfflineActivationIn(
  t: KeyTarget,
  options: Pick<ActivateOptions, 'reactivate' | 'confirmedReactivation'> = {},
): string {
  return onTarget(t, () => {
    const repo = new HostKeyRepository(t.db);
    const installed = installedOrThrow(repo);
    refuseSilentReactivation(installed, options);
    // Asking again gives the same IID, so an admin who lost it, or asked twice, can still use the
    // first one: the authority counts a repeated IID once, and the CID fits it.
    if (installed.pendingIid && isCurrentInstallationId(installed.pendingIid)) return installed.pendingIid;
    const iid = buildInstallationId(installed.key, repo.hostId(t.clock.now()), randomInt(0x10000));
    repo.setPendingIid(iid);
    return iid;
  });
}

/** Offline activation, second half: the authority's confirmation ID completes it. */
export function completeOfflineActivationIn(t: KeyTarget, cidText: string): InstalledHostKey {
  return onTarget(t, () => {
    const repo = new HostKeyRepository(t.db);
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
      at: t.clock.now(),
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

export function keyInfoIn(t: KeyTarget): KeyInfo {
  return onTarget(t, () => {
    const installed = new HostKeyRepository(t.db).get();
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
