/**
 * `quorum key activate --authority https://...`: online activation with the vendor's authority over
 * the network. The host pins the authority's signing key per origin: the fingerprint the vendor
 * published (--authority-pin), or the one first seen (trust on first use, printed so the admin can
 * compare it). A later answer signed by another key is refused.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { fromBase64url } from './authority-api.js';
import type { InstalledHostKey } from './host-key-repository.js';
import { onTarget, refuseSilentReactivation, type ActivateOptions, type KeyTarget } from './host-key-operations.js';
import { openKeyDatabase } from './key-database.js';
import { withDb } from './key-operations.js';
import { beginOnlineRequest, completeOnlineRequest } from './online-request.js';
import {
  callAuthority,
  fetchAuthorityIdentity,
  normalizeFingerprint,
  parseAuthorityUrl,
  type RemoteOptions,
} from './remote-authority.js';

const PINS_SETTING = 'authority.pins';

export interface RemoteActivateOptions extends RemoteOptions {
  url: string;
  /** The fingerprint the vendor published; default: the pinned one, else trust on first use. */
  pin?: string;
  reactivate?: boolean;
}

export interface RemoteActivation {
  installed: InstalledHostKey;
  authorityFingerprint: string;
  /** True when this run pinned the authority's key without a fingerprint given. */
  trustedOnFirstUse: boolean;
}

function readPins(db: Database): Record<string, string> {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(PINS_SETTING) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed = JSON.parse(row.value) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function savePin(db: Database, origin: string, fingerprint: string): void {
  const pins = { ...readPins(db), [origin]: fingerprint };
  db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(PINS_SETTING, JSON.stringify(pins));
}

/** The authority fingerprints this host has pinned, by origin. */
export function pinnedAuthorities(dataDir: string, clock: Clock): Record<string, string> {
  return withDb(dataDir, clock, false, (db) => readPins(db));
}

/** `quorum key activate --authority URL`: on the data directory, through a handle of its own. */
export async function activateWithRemoteAuthority(
  dataDir: string,
  clock: Clock,
  options: RemoteActivateOptions,
): Promise<RemoteActivation> {
  const db = openKeyDatabase(dataDir, clock, { create: false });
  try {
    return await activateWithRemoteAuthorityIn({ db, dataDir, clock }, options);
  } finally {
    db.close();
  }
}

/**
 * The same on an open handle: the running host's own connection (the console) or the CLI's. The
 * request id is chosen, and the answer recorded, each in one transaction; nothing is held between.
 */
export async function activateWithRemoteAuthorityIn(
  t: KeyTarget,
  options: RemoteActivateOptions & Pick<ActivateOptions, 'confirmedReactivation'>,
): Promise<RemoteActivation> {
  const { db, clock } = t;
  const url = parseAuthorityUrl(options.url);
  const given = options.pin === undefined || options.pin === '' ? undefined : normalizeFingerprint(options.pin);
  const { request, pinned } = onTarget(t, () => ({
    request: beginOnlineRequest(db, clock.now(), (installed) =>
      refuseSilentReactivation(installed, {
        reactivate: options.reactivate ?? false,
        ...(options.confirmedReactivation === undefined
          ? {}
          : { confirmedReactivation: options.confirmedReactivation }),
      }),
    ),
    pinned: readPins(db)[url.origin],
  }));
  const expected = given ?? pinned;
  const identity = await fetchAuthorityIdentity(url, options);
  if (expected !== undefined && identity.fingerprint !== expected) {
    throw new QuorumError(
      'AUTHORITY_KEY_MISMATCH',
      `The authority at ${url.origin} signs with key ${identity.fingerprint}, not the ${given ? 'given' : 'pinned'} ${expected}. Nothing was sent.`,
      given
        ? 'Check the fingerprint with the vendor; if they changed their key, they will have told you the new one.'
        : 'If the vendor announced a new key, activate with --authority-pin NEW_FINGERPRINT; otherwise this is not your authority.',
    );
  }
  const payload = await callAuthority(
    url,
    'v1/activate',
    { v: 1, key: request.installed.key.text, hostId: request.hostId, requestId: request.requestId },
    fromBase64url(identity.publicKey),
    options,
  );
  if (payload.kind !== 'activation' || payload.requestId !== request.requestId || payload.hostId !== request.hostId) {
    throw new QuorumError(
      'AUTHORITY_ANSWER_FORGED',
      `The answer from ${url.origin} is signed but answers another activation. Nothing was recorded.`,
      'Try again; if it happens again, activate offline: quorum key activate --offline.',
    );
  }
  const installed = onTarget(t, () => {
    if (pinned !== identity.fingerprint) savePin(db, url.origin, identity.fingerprint);
    return completeOnlineRequest(db, {
      method: 'online',
      authority: url.origin,
      at: payload.at,
      hostsUsed: payload.hostsUsed,
      activationNumber: payload.activationNumber,
    });
  });
  return { installed, authorityFingerprint: identity.fingerprint, trustedOnFirstUse: expected === undefined };
}

/** Whether `--authority` names a network authority rather than a data directory. */
export function isAuthorityUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim());
}
