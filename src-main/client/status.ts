/** What `quorum client status` shows: the state file's content with the license states at a moment. */
import { LICENSE_STATE_NAMES, type LicenseState } from '../../shared/domain/license-state.js';
import { ProductCatalog } from '../../shared/domain/products.js';
import { formatHostAddress } from '../dns/host-address.js';
import { hostIdOf } from './host-key.js';
import { currentPeriodEnd, licenseStateAt, remainingMinutesAt, type LicenseRecord } from './license-machine.js';
import type { ClientState } from './state-file.js';

/** The remembered fields shown as they are; the rest is derived at the moment asked. */
type RememberedFields =
  | 'productId'
  | 'validUntil'
  | 'lastActivatedAt'
  | 'activationIntervalMin'
  | 'renewalIntervalMin'
  | 'intervalsFromHost'
  | 'lastAttempt'
  | 'nextAttemptAt';

export interface LicenseStatus extends Pick<LicenseRecord, RememberedFields> {
  productName: string;
  state: LicenseState;
  stateName: string;
  /** End of the current validity or grace (ms), null in notification. */
  periodEndsAt: number | null;
  remainingMinutes: number;
}

export interface ClientStatus {
  stateFile: string;
  /** Null until the first attempt creates the state. */
  cmid: string | null;
  cachedHost: string | null;
  pins: Record<string, string>;
  /** The pinned hosts with the host id their fingerprint gives (docs/protocol.md §6). */
  pinnedHosts: PinnedHost[];
  licenses: LicenseStatus[];
}

export interface PinnedHost {
  host: string;
  hostId: string | null;
  fingerprint: string;
}

function pinnedHosts(pins: Record<string, string>): PinnedHost[] {
  return Object.entries(pins).map(([host, fingerprint]) => ({
    host,
    // A hand-edited state file may hold anything here: no host id is derived from what is not a fingerprint.
    hostId: /^[0-9a-f]{64}$/.test(fingerprint) ? hostIdOf(fingerprint) : null,
    fingerprint,
  }));
}

/** Shared: describing a state is done after every attempt, and the built-in catalogue never changes. */
const BUILTIN_CATALOG = new ProductCatalog();

export function describeState(
  stateFile: string,
  state: ClientState,
  now: number,
  catalog = BUILTIN_CATALOG,
): ClientStatus {
  return {
    stateFile,
    cmid: state.cmid,
    cachedHost: state.cachedHost ? formatHostAddress(state.cachedHost) : null,
    pins: { ...state.pins },
    pinnedHosts: pinnedHosts(state.pins),
    licenses: Object.values(state.licenses).map((r) => {
      const s = licenseStateAt(r, now);
      return {
        productId: r.productId,
        productName: catalog.byId(r.productId)?.name ?? r.productId,
        state: s,
        stateName: LICENSE_STATE_NAMES[s],
        periodEndsAt: currentPeriodEnd(r, now),
        remainingMinutes: remainingMinutesAt(r, now),
        validUntil: r.validUntil,
        lastActivatedAt: r.lastActivatedAt,
        activationIntervalMin: r.activationIntervalMin,
        renewalIntervalMin: r.renewalIntervalMin,
        intervalsFromHost: r.intervalsFromHost,
        lastAttempt: r.lastAttempt,
        nextAttemptAt: r.nextAttemptAt,
      };
    }),
  };
}

/** The status of a client that has not tried yet (no state file). */
export function emptyStatus(stateFile: string): ClientStatus {
  return { stateFile, cmid: null, cachedHost: null, pins: {}, pinnedHosts: [], licenses: [] };
}
