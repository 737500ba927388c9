/**
 * Activation by telephone, Quorum's way. The host reads out an installation ID (IID), the
 * authority answers with a confirmation ID (CID); both are digit groups with a check digit each
 * (shared/keys/digit-groups.ts), so a mistyped group is named at once.
 *
 * IID, 8 groups (48 data digits) holding, high to low:
 *   format (4, = 1) | host key payload (92) | host id (40) | request nonce (16)
 * CID, 3 groups (18 data digits) holding, high to low:
 *   hosts used (4) | activation number (4) | MAC over the IID and those counts (48)
 */
import { QuorumError } from '../../shared/domain/errors.js';
import {
  encodeDigitGroups,
  encodeHostKey,
  fieldsOfPayload,
  parseDigitGroups,
  payloadOf,
  type DigitGroupsError,
  type HostKey,
} from '../../shared/keys/index.js';
import { confirmationMac } from './key-authenticator.js';

export const IID_GROUPS = 8;
export const CID_GROUPS = 3;
const IID_FORMAT = 1n;

export interface InstallationRequest {
  key: HostKey;
  /** 10 hex digits: the host installation id. */
  hostId: string;
  nonce: number;
  /** Canonical text of the IID (the form the CID's MAC covers). */
  iid: string;
}

export interface Confirmation {
  hostsUsed: number;
  activationNumber: number;
}

export function buildInstallationId(key: HostKey, hostId: string, nonce: number): string {
  const n = (IID_FORMAT << 148n) | (payloadOf(key) << 56n) | (BigInt(`0x${hostId}`) << 16n) | BigInt(nonce & 0xffff);
  return encodeDigitGroups(n, IID_GROUPS);
}

function idError(prefix: string, e: DigitGroupsError, hint: string): QuorumError {
  return new QuorumError(`${prefix}_${e.kind}`, e.message, hint);
}

export function readInstallationId(text: string): InstallationRequest {
  const parsed = parseDigitGroups(text, IID_GROUPS, 'installation ID');
  const hint =
    'Ask for the installation ID again, group by group (quorum key activate --offline on the host prints it).';
  if (!parsed.ok) throw idError('INSTALLATION_ID', parsed.error, hint);
  const n = parsed.value;
  const fields = fieldsOfPayload((n >> 56n) & ((1n << 92n) - 1n));
  if (n >> 148n !== IID_FORMAT || !fields) {
    throw new QuorumError(
      'INSTALLATION_ID_UNKNOWN',
      'The installation ID checks, but it is not one Quorum writes.',
      hint,
    );
  }
  return {
    key: encodeHostKey(fields),
    hostId: ((n >> 16n) & 0xffffffffffn).toString(16).padStart(10, '0'),
    nonce: Number(n & 0xffffn),
    iid: encodeDigitGroups(n, IID_GROUPS),
  };
}

export function buildConfirmationId(request: InstallationRequest, c: Confirmation): string {
  const mac = confirmationMac(request.key, request.iid, c.hostsUsed, c.activationNumber);
  const n = (BigInt(c.hostsUsed) << 52n) | (BigInt(c.activationNumber) << 48n) | BigInt(mac);
  return encodeDigitGroups(n, CID_GROUPS);
}

/** Checks a CID typed on the host against the IID it printed; returns the counts it carries. */
export function readConfirmationId(text: string, key: HostKey, iid: string): Confirmation {
  const parsed = parseDigitGroups(text, CID_GROUPS, 'confirmation ID');
  if (!parsed.ok) {
    throw idError('CONFIRMATION_ID', parsed.error, 'Read the named group back to the authority and type it again.');
  }
  const n = parsed.value;
  const hostsUsed = Number(n >> 52n);
  const activationNumber = Number((n >> 48n) & 0xfn);
  const mac = Number(n & 0xffffffffffffn);
  if (confirmationMac(key, iid, hostsUsed, activationNumber) !== mac) {
    throw new QuorumError(
      'CONFIRMATION_ID_MISMATCH',
      "The confirmation ID checks digit by digit, but it does not answer this host's installation ID.",
      'It belongs to another installation ID (or several digits are wrong): give the authority the installation ID shown by quorum key activate --offline.',
    );
  }
  return { hostsUsed, activationNumber };
}
