/**
 * Quorum Activation Protocol (QAP) messages, as values. Their byte layout is specified in
 * docs/protocol.md and implemented by the codec in this folder. UUIDs are lower-case text here
 * and 16 bytes (RFC 4122 order) on the wire.
 */
import type { LicenseState } from '../domain/license-state.js';

/** The interface Quorum hosts export over DCE/RPC. Never changes. */
export const QAP_INTERFACE_UUID = 'fba2b687-4925-4024-aa47-172873372121';
export const QAP_INTERFACE_VERSION = { major: 1, minor: 0 } as const;
export const QAP_OPNUM_ACTIVATE = 0;
export const QAP_DEFAULT_PORT = 1688;

export interface ActivationRequest {
  version: number;
  cmid: string;
  previousCmid: string | null;
  machineName: string;
  applicationId: string;
  productId: string;
  productGroupId: string;
  licenseState: LicenseState;
  /** Minutes left of the client's current grace or validity period. */
  remainingMinutes: number;
  isVm: boolean;
  /** Client clock, ms since the epoch. */
  clientTime: number;
  /** 16 random bytes, echoed in the response. */
  nonce: Uint8Array;
  /** HMAC-SHA256 with the site token, when the site uses one (32 bytes), else null. */
  siteTokenMac: Uint8Array | null;
  /**
   * A probe (flag bit 3, docs/protocol.md "Probe requests"): the host answers with its signed
   * identity and counts nothing. Absent means false.
   */
  probe?: boolean;
}

/** Response status: 0 means the request was processed (granted or not); others are refusals. */
export const QapStatus = {
  Ok: 0,
  HostNotActivated: 1,
  UnknownProduct: 2,
  AdmissionRefused: 3,
  RateLimited: 4,
  InvalidRequest: 5,
  ProductNotCovered: 6,
} as const;
export type QapStatus = (typeof QapStatus)[keyof typeof QapStatus];

export interface ActivationResponse {
  version: number;
  status: QapStatus;
  /** Ed25519 public key of the host (32 bytes). Its SHA-256 is the fingerprint clients pin. */
  hostPublicKey: Uint8Array;
  /** Human, ePID-like host id, e.g. "QH-3F2A-91C0-7D44-0E1B". */
  hostId: string;
  cmid: string;
  nonce: Uint8Array;
  clientTime: number;
  count: number;
  threshold: number;
  granted: boolean;
  activationIntervalMin: number;
  renewalIntervalMin: number;
  validityMin: number;
  hostTime: number;
}
