/**
 * Activation by telephone, Quorum's way. The host reads out an installation ID (IID), the
 * authority answers with a confirmation ID (CID); both are digit groups with a check digit each
 * (shared/keys/digit-groups.ts), so a mistyped group is named at once.
 *
 * IID, 8 groups (48 data digits) holding, high to low:
 *   format (4, = 2) | family (2) | generation (5) | serial (28) | authority tag (16) | host id (40)
 *   | request nonce (16) | proof (40)
 * The IID is read aloud, shown by `key info` and may land in notes or tickets, so it does not carry
 * the key's authenticator (format 1 did, which spelled out the whole key). The issuing authority
 * rebuilds the key from its secret and the fields, and the proof, a MAC keyed by the key text,
 * shows that the host holds that very key.
 * CID, 3 groups (18 data digits) holding, high to low:
 *   hosts used (4) | activation number (4) | MAC over the IID and those counts (48)
 */
import { QuorumError } from '../../shared/domain/errors.js';
import type { ProductFamily } from '../../shared/domain/products.js';
import {
  encodeDigitGroups,
  fieldsOfPayload,
  parseDigitGroups,
  payloadOf,
  type DigitGroupsError,
  type HostKey,
} from '../../shared/keys/index.js';
import { confirmationMac, installationProof } from './key-authenticator.js';

export const IID_GROUPS = 8;
export const CID_GROUPS = 3;
const IID_FORMAT = 2n;
const OLD_IID_FORMAT = 1n;

export interface InstallationRequest {
  /** The key's fields without its authenticator: the authority recomputes that. */
  family: ProductFamily;
  generation: number;
  serial: number;
  authorityTag: number;
  /** 10 hex digits: the host installation id. */
  hostId: string;
  nonce: number;
  /** 40-bit MAC keyed by the host key over the fields above (installationProof). */
  proof: number;
  /** Canonical text of the IID (the form the CID's MAC covers). */
  iid: string;
}

export interface Confirmation {
  hostsUsed: number;
  activationNumber: number;
}

/** Everything in the IID above the proof, as one number: the proof's input. */
function iidHead(key: Omit<HostKey, 'authenticator' | 'text'>, hostId: string, nonce: number): bigint {
  // payloadOf puts version, family, generation, serial and tag above 40 bits of authenticator.
  const keyHigh = payloadOf({ ...key, authenticator: 0 }) >> 40n;
  return (IID_FORMAT << 108n) | (keyHigh << 56n) | (BigInt(`0x${hostId}`) << 16n) | BigInt(nonce & 0xffff);
}

export function buildInstallationId(key: HostKey, hostId: string, nonce: number): string {
  const head = iidHead(key, hostId, nonce);
  return encodeDigitGroups((head << 40n) | BigInt(installationProof(key, head)), IID_GROUPS);
}

/** Whether the proof in `request` was made with `key` (the key the authority rebuilt). */
export function provesKey(request: InstallationRequest, key: HostKey): boolean {
  return installationProof(key, iidHead(request, request.hostId, request.nonce)) === request.proof;
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
  const head = n >> 40n;
  if (n >> 148n === OLD_IID_FORMAT) {
    throw new QuorumError(
      'INSTALLATION_ID_UNKNOWN',
      'This installation ID was written by an older Quorum, whose IDs spelled out the whole key.',
      'On the host, run quorum key activate --offline again and read out the new installation ID.',
    );
  }
  const fields = fieldsOfPayload(((head >> 56n) & ((1n << 52n) - 1n)) << 40n);
  if (head >> 108n !== IID_FORMAT || !fields) {
    throw new QuorumError(
      'INSTALLATION_ID_UNKNOWN',
      'The installation ID checks, but it is not one Quorum writes.',
      hint,
    );
  }
  return {
    family: fields.family,
    generation: fields.generation,
    serial: fields.serial,
    authorityTag: fields.authorityTag,
    hostId: ((head >> 16n) & 0xffffffffffn).toString(16).padStart(10, '0'),
    nonce: Number(head & 0xffffn),
    proof: Number(n & 0xffffffffffn),
    iid: encodeDigitGroups(n, IID_GROUPS),
  };
}

export function buildConfirmationId(key: HostKey, request: InstallationRequest, c: Confirmation): string {
  const mac = confirmationMac(key, request.iid, c.hostsUsed, c.activationNumber);
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
