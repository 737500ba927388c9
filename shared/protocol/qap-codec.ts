/**
 * The QAP messages carried as DCE/RPC stub data of opnum 0. Byte layouts: docs/protocol.md,
 * sections "Activation request" and "Activation response". Every decode error is a QuorumError
 * with a PROTOCOL_* code; nothing here throws anything else on any input.
 */
import { QuorumError } from '../domain/errors.js';
import { isLicenseState } from '../domain/license-state.js';
import { ByteReader, ByteWriter, bytesToUuid, isUuid, uuidToBytes } from './bytes.js';
import { QapStatus, type ActivationRequest, type ActivationResponse } from './qap-types.js';

export const QAP_VERSION = 1;
/** "QAPQ" and "QAPR": they also keep a signed response from ever parsing as a request. */
export const REQUEST_MAGIC = 0x51504151;
export const RESPONSE_MAGIC = 0x52504151;
export const REQUEST_FIXED_LENGTH = 120;
export const RESPONSE_FIXED_LENGTH = 109;
export const MAX_MACHINE_NAME_BYTES = 63;
export const MAX_HOST_ID_LENGTH = 32;
export const NONCE_LENGTH = 16;
export const MAC_LENGTH = 32;
export const PUBLIC_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;
/** Largest request and signed response a v1 peer can produce. */
export const MAX_REQUEST_LENGTH = REQUEST_FIXED_LENGTH + MAX_MACHINE_NAME_BYTES + MAC_LENGTH;
export const MAX_SIGNED_RESPONSE_LENGTH = RESPONSE_FIXED_LENGTH + MAX_HOST_ID_LENGTH + SIGNATURE_LENGTH;

const RequestFlag = { isVm: 0x1, hasPreviousCmid: 0x2, hasSiteTokenMac: 0x4, probe: 0x8 } as const;
const RESPONSE_FLAG_GRANTED = 0x1;
const MAX_U32 = 0xffff_ffff;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function bad(field: string, why: string): QuorumError {
  return new QuorumError(
    'PROTOCOL_BAD_FIELD',
    `The QAP field ${field} ${why}.`,
    'Check the sender against docs/protocol.md (QAP version 1).',
  );
}

function checkUuid(field: string, value: string): Uint8Array {
  if (!isUuid(value)) throw bad(field, 'is not a lower-case UUID');
  return uuidToBytes(value);
}

function checkU32(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U32) throw bad(field, 'is not a whole number 0..2^32-1');
  return value;
}

function checkTime(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw bad(field, 'is not a time in ms since the epoch');
  return value;
}

function checkBytes(field: string, value: Uint8Array, length: number): Uint8Array {
  if (value.byteLength !== length) throw bad(field, `must be ${length} bytes; got ${value.byteLength}`);
  return value;
}

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export function encodeMachineName(name: string): Uint8Array {
  const bytes = utf8.encode(name);
  if (bytes.byteLength < 1 || bytes.byteLength > MAX_MACHINE_NAME_BYTES) {
    throw bad('machineName', `must be 1..${MAX_MACHINE_NAME_BYTES} UTF-8 bytes; got ${bytes.byteLength}`);
  }
  if (hasControlChar(name)) throw bad('machineName', 'contains a control character');
  return bytes;
}

function checkMagicAndVersion(r: ByteReader, magic: number, what: string): void {
  const got = r.u32();
  if (got !== magic) {
    throw new QuorumError(
      'PROTOCOL_BAD_MAGIC',
      `This is not a QAP ${what} (magic 0x${got.toString(16).padStart(8, '0')}).`,
      'The peer sent another protocol or a damaged message.',
    );
  }
  const version = r.u16();
  if (version !== QAP_VERSION) {
    throw new QuorumError(
      'PROTOCOL_UNSUPPORTED_VERSION',
      `QAP ${what} version ${version} is not supported; this build speaks version ${QAP_VERSION}.`,
      'On an interface 1.0 context the message version is 1 (docs/protocol.md §10, "Versioning").',
    );
  }
}

export function encodeActivationRequest(req: ActivationRequest): Uint8Array {
  if (req.version !== QAP_VERSION) throw bad('version', `must be ${QAP_VERSION}`);
  if (!isLicenseState(req.licenseState)) throw bad('licenseState', 'must be 0..6');
  const name = encodeMachineName(req.machineName);
  const flags =
    (req.isVm ? RequestFlag.isVm : 0) |
    (req.previousCmid !== null ? RequestFlag.hasPreviousCmid : 0) |
    (req.siteTokenMac !== null ? RequestFlag.hasSiteTokenMac : 0) |
    (req.probe === true ? RequestFlag.probe : 0);
  const w = new ByteWriter(REQUEST_FIXED_LENGTH + name.byteLength + MAC_LENGTH);
  w.u32(REQUEST_MAGIC).u16(QAP_VERSION).u16(flags);
  w.bytes(checkUuid('cmid', req.cmid));
  if (req.previousCmid !== null) w.bytes(checkUuid('previousCmid', req.previousCmid));
  else w.zeros(16);
  w.bytes(checkUuid('applicationId', req.applicationId));
  w.bytes(checkUuid('productId', req.productId));
  w.bytes(checkUuid('productGroupId', req.productGroupId));
  w.u8(req.licenseState).u8(name.byteLength).u16(0);
  w.u32(checkU32('remainingMinutes', req.remainingMinutes));
  w.u53(checkTime('clientTime', req.clientTime));
  w.bytes(checkBytes('nonce', req.nonce, NONCE_LENGTH));
  w.bytes(name);
  if (req.siteTokenMac !== null) w.bytes(checkBytes('siteTokenMac', req.siteTokenMac, MAC_LENGTH));
  return w.finish();
}

export function decodeActivationRequest(bytes: Uint8Array): ActivationRequest {
  const r = new ByteReader(bytes, 'activation request');
  checkMagicAndVersion(r, REQUEST_MAGIC, 'request');
  const flags = r.u16();
  if (flags & ~0xf) throw bad('flags', `has unknown bits (0x${flags.toString(16)})`);
  const cmid = bytesToUuid(r.bytes(16));
  const prev = r.bytes(16);
  const applicationId = bytesToUuid(r.bytes(16));
  const productId = bytesToUuid(r.bytes(16));
  const productGroupId = bytesToUuid(r.bytes(16));
  const licenseState = r.u8();
  if (!isLicenseState(licenseState)) throw bad('licenseState', `is ${licenseState}, not 0..6`);
  const nameLength = r.u8();
  if (r.u16() !== 0) throw bad('reserved', 'must be zero');
  const remainingMinutes = r.u32();
  const clientTime = r.u53('clientTime');
  const nonce = r.bytes(NONCE_LENGTH).slice();
  if (nameLength < 1 || nameLength > MAX_MACHINE_NAME_BYTES) {
    throw bad('machineName', `length is ${nameLength}, not 1..${MAX_MACHINE_NAME_BYTES}`);
  }
  let machineName: string;
  try {
    machineName = utf8Strict.decode(r.bytes(nameLength));
  } catch (e) {
    if (e instanceof QuorumError) throw e;
    throw bad('machineName', 'is not valid UTF-8');
  }
  if (hasControlChar(machineName)) throw bad('machineName', 'contains a control character');
  const siteTokenMac = flags & RequestFlag.hasSiteTokenMac ? r.bytes(MAC_LENGTH).slice() : null;
  if (r.remaining !== 0) {
    throw new QuorumError(
      'PROTOCOL_TRAILING_BYTES',
      `The activation request has ${r.remaining} bytes after its last field.`,
      'A v1 request ends with the machine name or the site token MAC.',
    );
  }
  const hasPrev = (flags & RequestFlag.hasPreviousCmid) !== 0;
  // An unused field must be zero like any reserved one: a non-zero previousCmid with the flag clear
  // is a client bug (or a newer layout), never silently dropped (docs/protocol.md §4).
  if (!hasPrev && prev.some((b) => b !== 0)) throw bad('previousCmid', 'must be zeros when flag bit 1 is clear');
  return {
    version: QAP_VERSION,
    cmid,
    previousCmid: hasPrev ? bytesToUuid(prev) : null,
    machineName,
    applicationId,
    productId,
    productGroupId,
    licenseState,
    remainingMinutes,
    isVm: (flags & RequestFlag.isVm) !== 0,
    clientTime,
    nonce,
    siteTokenMac,
    ...(flags & RequestFlag.probe ? { probe: true } : {}),
  };
}

/**
 * The bytes the site-token HMAC covers: the whole request up to, not including, the MAC field.
 * A client encodes the request with a zero MAC, computes the HMAC over these bytes, and puts it in
 * place with `withRequestMac`.
 */
export function requestMacInput(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength < REQUEST_FIXED_LENGTH) {
    throw new QuorumError('PROTOCOL_TRUNCATED', 'The activation request is shorter than its fixed part.');
  }
  const nameLength = bytes[89] ?? 0;
  return bytes.subarray(0, REQUEST_FIXED_LENGTH + nameLength);
}

/** A copy of an encoded request (encoded with a MAC field) with `mac` in its MAC field. */
export function withRequestMac(bytes: Uint8Array, mac: Uint8Array): Uint8Array {
  const at = requestMacInput(bytes).byteLength;
  if (bytes.byteLength !== at + MAC_LENGTH) throw bad('siteTokenMac', 'field is absent from this request');
  const out = bytes.slice();
  out.set(checkBytes('siteTokenMac', mac, MAC_LENGTH), at);
  return out;
}

const HOST_ID_RE = /^[\x21-\x7e]{1,32}$/;
/** A host signs every response with the same id: checked once, not per response. */
let lastGoodHostId = '';

function checkHostId(hostId: string): string {
  if (hostId === lastGoodHostId) return hostId;
  if (!HOST_ID_RE.test(hostId)) throw bad('hostId', 'must be 1..32 printable ASCII characters');
  lastGoodHostId = hostId;
  return hostId;
}

const STATUS_VALUES = new Set<number>(Object.values(QapStatus));

export function encodeResponseBody(resp: ActivationResponse): Uint8Array {
  if (resp.version !== QAP_VERSION) throw bad('version', `must be ${QAP_VERSION}`);
  if (!STATUS_VALUES.has(resp.status)) throw bad('status', 'is not a QAP status');
  const hostId = checkHostId(resp.hostId);
  const w = new ByteWriter(RESPONSE_FIXED_LENGTH + hostId.length + SIGNATURE_LENGTH);
  w.u32(RESPONSE_MAGIC)
    .u16(QAP_VERSION)
    .u8(resp.status)
    .u8(resp.granted ? RESPONSE_FLAG_GRANTED : 0);
  w.bytes(checkBytes('hostPublicKey', resp.hostPublicKey, PUBLIC_KEY_LENGTH));
  w.bytes(checkUuid('cmid', resp.cmid));
  w.bytes(checkBytes('nonce', resp.nonce, NONCE_LENGTH));
  w.u53(checkTime('clientTime', resp.clientTime));
  w.u53(checkTime('hostTime', resp.hostTime));
  w.u32(checkU32('count', resp.count));
  w.u32(checkU32('threshold', resp.threshold));
  w.u32(checkU32('activationIntervalMin', resp.activationIntervalMin));
  w.u32(checkU32('renewalIntervalMin', resp.renewalIntervalMin));
  w.u32(checkU32('validityMin', resp.validityMin));
  w.u8(hostId.length);
  for (let i = 0; i < hostId.length; i++) w.u8(hostId.charCodeAt(i));
  return w.finish();
}

export function encodeSignedResponse(resp: ActivationResponse, signature: Uint8Array): Uint8Array {
  const body = encodeResponseBody(resp);
  checkBytes('signature', signature, SIGNATURE_LENGTH);
  const out = new Uint8Array(body.byteLength + SIGNATURE_LENGTH);
  out.set(body, 0);
  out.set(signature, body.byteLength);
  return out;
}

export interface SignedResponse {
  response: ActivationResponse;
  /** The exact bytes the signature covers (the response body). */
  signedBytes: Uint8Array;
  signature: Uint8Array;
}

/** Decodes a signed response. It does NOT verify the signature: the caller checks it against the pinned key. */
export function decodeSignedResponse(bytes: Uint8Array): SignedResponse {
  const r = new ByteReader(bytes, 'activation response');
  checkMagicAndVersion(r, RESPONSE_MAGIC, 'response');
  const status = r.u8();
  if (!STATUS_VALUES.has(status)) throw bad('status', `is ${status}, not a QAP status`);
  const flags = r.u8();
  if (flags & ~RESPONSE_FLAG_GRANTED) throw bad('flags', `has unknown bits (0x${flags.toString(16)})`);
  const hostPublicKey = r.bytes(PUBLIC_KEY_LENGTH).slice();
  const cmid = bytesToUuid(r.bytes(16));
  const nonce = r.bytes(NONCE_LENGTH).slice();
  const clientTime = r.u53('clientTime');
  const hostTime = r.u53('hostTime');
  const count = r.u32();
  const threshold = r.u32();
  const activationIntervalMin = r.u32();
  const renewalIntervalMin = r.u32();
  const validityMin = r.u32();
  const idLength = r.u8();
  let hostId = '';
  for (const c of r.bytes(idLength)) hostId += String.fromCharCode(c);
  checkHostId(hostId);
  const bodyLength = r.position;
  const signature = r.bytes(SIGNATURE_LENGTH).slice();
  if (r.remaining !== 0) {
    throw new QuorumError('PROTOCOL_TRAILING_BYTES', `The activation response has ${r.remaining} extra bytes.`);
  }
  return {
    response: {
      version: QAP_VERSION,
      status: status as QapStatus,
      hostPublicKey,
      hostId,
      cmid,
      nonce,
      clientTime,
      count,
      threshold,
      granted: (flags & RESPONSE_FLAG_GRANTED) !== 0,
      activationIntervalMin,
      renewalIntervalMin,
      validityMin,
      hostTime,
    },
    signedBytes: bytes.slice(0, bodyLength),
    signature,
  };
}
