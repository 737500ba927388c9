/**
 * DCE/RPC 5.0 connection-oriented PDUs (C706 chapter 12, the subset QAP uses), as values and
 * bytes. Pure and isomorphic: the listener, the client, the fuzzers and the vector generator all
 * use this one codec. Layouts are in docs/protocol.md, section "DCE/RPC PDUs".
 */
import { QuorumError } from '../domain/errors.js';
import { ByteReader, ByteWriter, guidBytesToUuid, uuidToGuidBytes } from './bytes.js';

export const PduType = {
  request: 0,
  response: 2,
  fault: 3,
  bind: 11,
  bindAck: 12,
  bindNak: 13,
  alterContext: 14,
  alterContextResp: 15,
  auth3: 16,
  shutdown: 17,
  coCancel: 18,
  orphaned: 19,
} as const;

export const PfcFlags = {
  firstFrag: 0x01,
  lastFrag: 0x02,
  pendingCancel: 0x04,
  concMpx: 0x10,
  didNotExecute: 0x20,
  maybe: 0x40,
  objectUuid: 0x80,
} as const;

/** Little-endian integers, ASCII characters, IEEE floats: the only data representation QAP accepts. */
export const DREP_LE_ASCII_IEEE: readonly number[] = [0x10, 0x00, 0x00, 0x00];

export const NDR20_SYNTAX: SyntaxId = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', major: 2, minor: 0 };
export const NULL_SYNTAX: SyntaxId = { uuid: '00000000-0000-0000-0000-000000000000', major: 0, minor: 0 };

export const HEADER_LENGTH = 16;
export const REQUEST_HEADER_LENGTH = 24;
export const RESPONSE_HEADER_LENGTH = 24;
/** The smallest fragment QAP negotiates: a header plus 40 bytes of stub. */
export const MIN_FRAGMENT = 64;

/** Presentation context results (C706 p_cont_def_result_t). */
export const ContextResult = { acceptance: 0, userRejection: 1, providerRejection: 2 } as const;
/** Provider reasons (C706 p_provider_reason_t). */
export const ProviderReason = {
  notSpecified: 0,
  abstractSyntaxNotSupported: 1,
  proposedTransferSyntaxesNotSupported: 2,
  localLimitExceeded: 3,
} as const;
/** bind_nak reasons (C706 p_reject_reason_t). */
export const BindNakReason = {
  notSpecified: 0,
  temporaryCongestion: 1,
  localLimitExceeded: 2,
  protocolVersionNotSupported: 4,
} as const;

/** Fault status codes QAP hosts send (values from C706 appendix E and MS-RPCE). */
export const FaultStatus = {
  opRangeError: 0x1c010002,
  unknownInterface: 0x1c010003,
  protoError: 0x1c01000b,
  serverTooBusy: 0x1c010014,
  unsupportedType: 0x1c010017,
  faultUnspec: 0x1c000012,
  invalidPresContextId: 0x1c00001c,
  unsupportedAuthnLevel: 0x1c00001d,
  badStubData: 0x000006f7,
} as const;

export const FAULT_NAMES: Readonly<Record<number, string>> = {
  [FaultStatus.opRangeError]: 'nca_s_op_rng_error',
  [FaultStatus.unknownInterface]: 'nca_s_unk_if',
  [FaultStatus.protoError]: 'nca_s_proto_error',
  [FaultStatus.serverTooBusy]: 'nca_s_server_too_busy',
  [FaultStatus.unsupportedType]: 'nca_s_unsupported_type',
  [FaultStatus.faultUnspec]: 'nca_s_fault_unspec',
  [FaultStatus.invalidPresContextId]: 'nca_s_invalid_pres_context_id',
  [FaultStatus.unsupportedAuthnLevel]: 'nca_s_unsupported_authn_level',
  [FaultStatus.badStubData]: 'rpc_x_bad_stub_data',
};

export function faultName(status: number): string {
  return FAULT_NAMES[status] ?? `0x${status.toString(16).padStart(8, '0')}`;
}

export interface SyntaxId {
  uuid: string;
  major: number;
  minor: number;
}

export interface PduHeader {
  versionMajor: number;
  versionMinor: number;
  type: number;
  flags: number;
  /** The four data representation bytes as received. */
  drep: readonly [number, number, number, number];
  fragLength: number;
  authLength: number;
  callId: number;
}

export interface ContextItem {
  contextId: number;
  abstractSyntax: SyntaxId;
  transferSyntaxes: SyntaxId[];
}

export interface ContextResultItem {
  result: number;
  reason: number;
  transferSyntax: SyntaxId;
}

export interface BindBody {
  maxXmitFrag: number;
  maxRecvFrag: number;
  assocGroupId: number;
  contexts: ContextItem[];
}

export interface BindAckBody {
  maxXmitFrag: number;
  maxRecvFrag: number;
  assocGroupId: number;
  secondaryAddress: string;
  results: ContextResultItem[];
}

export type Pdu =
  | ({ kind: 'bind' | 'alter_context'; header: PduHeader } & BindBody)
  | ({ kind: 'bind_ack' | 'alter_context_resp'; header: PduHeader } & BindAckBody)
  | { kind: 'bind_nak'; header: PduHeader; rejectReason: number; versions: { major: number; minor: number }[] }
  | {
      kind: 'request';
      header: PduHeader;
      allocHint: number;
      contextId: number;
      opnum: number;
      objectUuid: string | null;
      stub: Uint8Array;
    }
  | { kind: 'response'; header: PduHeader; allocHint: number; contextId: number; cancelCount: number; stub: Uint8Array }
  | { kind: 'fault'; header: PduHeader; allocHint: number; contextId: number; cancelCount: number; status: number }
  | { kind: 'other'; header: PduHeader };

function malformed(message: string): QuorumError {
  return new QuorumError(
    'PROTOCOL_MALFORMED_PDU',
    message,
    'The peer is not speaking DCE/RPC 5.0 as docs/protocol.md specifies.',
  );
}

/** A well-formed bind asking for more than a host looks at (context items, transfer syntaxes). */
function overLimit(message: string): QuorumError {
  return new QuorumError('PROTOCOL_LIMIT', message, 'QAP hosts look at 16 context items and 8 transfer syntaxes each.');
}

export function isLittleEndianDrep(drep: ArrayLike<number>): boolean {
  // Integer representation is the high nibble of byte 0 (1 = little-endian); the low nibble is
  // the character set (0 = ASCII); byte 1 is the float format (0 = IEEE).
  return drep[0] === 0x10 && drep[1] === 0x00;
}

/** DCE/RPC 5.0 and 5.1 (C706 minor versions are compatible; QAP sends 5.0). */
export function isSupportedRpcVersion(major: number, minor: number): boolean {
  return major === 5 && minor <= 1;
}

/**
 * True when a 16-byte header declares a version and a data representation the host speaks. Only
 * then is its frag_length read: a host answers any other header from those 16 bytes alone, so it
 * never waits on a length written in a byte order it does not speak (docs/protocol.md §3.1).
 */
export function isSupportedHeader(bytes: Uint8Array): boolean {
  return (
    bytes.byteLength >= HEADER_LENGTH &&
    isSupportedRpcVersion(bytes[0]!, bytes[1]!) &&
    isLittleEndianDrep(bytes.subarray(4, 8))
  );
}

/**
 * The call_id of a header in the byte order its drep declares (high nibble of byte 0: 1 little-endian,
 * anything else big-endian), so a fault for a foreign drep echoes the id the client meant.
 */
export function peekCallId(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset + 12, 4).getUint32(0, ((bytes[4] ?? 0) & 0xf0) === 0x10);
}

/** The bind_nak reason for a bind that did not decode (docs/protocol.md §3, "malformed"). */
export function bindNakReasonFor(code: string): number {
  if (code === 'PROTOCOL_VERSION') return BindNakReason.protocolVersionNotSupported;
  if (code === 'PROTOCOL_LIMIT') return BindNakReason.localLimitExceeded;
  return BindNakReason.notSpecified;
}

/** The fragment length of the fragment starting at `bytes`, in the byte order its drep declares. */
export function peekFragLength(bytes: Uint8Array): number {
  const littleEndian = ((bytes[4] ?? 0) & 0xf0) === 0x10;
  const a = bytes[8] ?? 0;
  const b = bytes[9] ?? 0;
  return littleEndian ? a | (b << 8) : (a << 8) | b;
}

export function decodeHeader(bytes: Uint8Array): PduHeader {
  const r = new ByteReader(bytes, 'DCE/RPC header');
  const versionMajor = r.u8();
  const versionMinor = r.u8();
  const type = r.u8();
  const flags = r.u8();
  const d = r.bytes(4);
  const drep = [d[0]!, d[1]!, d[2]!, d[3]!] as const;
  const fragLength = peekFragLength(bytes);
  r.skip(2);
  const little = (drep[0] & 0xf0) === 0x10;
  const authRaw = r.u16();
  const authLength = little ? authRaw : ((authRaw & 0xff) << 8) | (authRaw >> 8);
  const callRaw = r.u32();
  const callId = little
    ? callRaw
    : (((callRaw & 0xff) << 24) | ((callRaw & 0xff00) << 8) | ((callRaw >>> 8) & 0xff00) | (callRaw >>> 24)) >>> 0;
  return { versionMajor, versionMinor, type, flags, drep, fragLength, authLength, callId };
}

function readSyntax(r: ByteReader): SyntaxId {
  const uuid = guidBytesToUuid(r.bytes(16));
  const major = r.u16();
  const minor = r.u16();
  return { uuid, major, minor };
}

function writeSyntax(w: ByteWriter, s: SyntaxId): void {
  w.bytes(uuidToGuidBytes(s.uuid)).u16(s.major).u16(s.minor);
}

/** Largest number of context items or transfer syntaxes a host looks at in one bind. */
export const MAX_CONTEXT_ITEMS = 16;
export const MAX_TRANSFER_SYNTAXES = 8;

/**
 * Decodes exactly one fragment. Throws PROTOCOL_* QuorumErrors for anything malformed, including
 * a data representation other than little-endian ASCII IEEE (the caller answers that with a fault).
 */
export function decodePdu(bytes: Uint8Array): Pdu {
  if (bytes.byteLength < HEADER_LENGTH) throw malformed(`A PDU needs 16 header bytes; got ${bytes.byteLength}.`);
  const header = decodeHeader(bytes);
  if (!isSupportedRpcVersion(header.versionMajor, header.versionMinor)) {
    // A web server (the console's port, say) answers in text: say so rather than quote "version 72.84".
    const text = String.fromCharCode(...bytes.subarray(0, 8));
    if (/^(HTTP\/|GET |POST |PUT |HEAD )/.test(text)) {
      throw new QuorumError(
        'PROTOCOL_VERSION',
        `This is HTTP ("${text.split(' ')[0]}..."), not DCE/RPC: the address is a web server's, not a Quorum host's activation port.`,
        'Check the port: the activation port is 1688 unless the host was set otherwise; the console has its own.',
      );
    }
    throw new QuorumError(
      'PROTOCOL_VERSION',
      `DCE/RPC version ${header.versionMajor}.${header.versionMinor} is not supported; QAP uses 5.0.`,
    );
  }
  if (!isLittleEndianDrep(header.drep)) {
    throw new QuorumError(
      'PROTOCOL_UNSUPPORTED_DREP',
      'The data representation is not little-endian ASCII IEEE (drep 10 00 00 00).',
      'QAP hosts accept only little-endian ASCII IEEE data (docs/protocol.md §3.1).',
    );
  }
  if (header.fragLength !== bytes.byteLength) {
    throw malformed(`frag_length says ${header.fragLength} bytes but the fragment has ${bytes.byteLength}.`);
  }
  if (header.authLength + HEADER_LENGTH > header.fragLength) throw malformed('auth_length exceeds the fragment.');
  // The body ends where the auth verifier (if any, with its 8-byte sec_trailer) begins.
  const bodyEnd = header.authLength > 0 ? header.fragLength - header.authLength - 8 : header.fragLength;
  if (bodyEnd < HEADER_LENGTH) throw malformed('auth_length leaves no room for the PDU body.');
  const r = new ByteReader(bytes.subarray(0, bodyEnd), 'DCE/RPC PDU', HEADER_LENGTH);
  switch (header.type) {
    case PduType.bind:
    case PduType.alterContext: {
      const maxXmitFrag = r.u16();
      const maxRecvFrag = r.u16();
      const assocGroupId = r.u32();
      const n = r.u8();
      r.skip(3);
      if (n > MAX_CONTEXT_ITEMS)
        throw overLimit(`A bind may carry at most ${MAX_CONTEXT_ITEMS} context items; got ${n}.`);
      const contexts: ContextItem[] = [];
      for (let i = 0; i < n; i++) {
        const contextId = r.u16();
        const nt = r.u8();
        r.skip(1);
        if (nt > MAX_TRANSFER_SYNTAXES) {
          throw overLimit(`A context item may carry at most ${MAX_TRANSFER_SYNTAXES} transfer syntaxes; got ${nt}.`);
        }
        const abstractSyntax = readSyntax(r);
        const transferSyntaxes: SyntaxId[] = [];
        for (let t = 0; t < nt; t++) transferSyntaxes.push(readSyntax(r));
        contexts.push({ contextId, abstractSyntax, transferSyntaxes });
      }
      const kind = header.type === PduType.bind ? 'bind' : 'alter_context';
      return { kind, header, maxXmitFrag, maxRecvFrag, assocGroupId, contexts };
    }
    case PduType.bindAck:
    case PduType.alterContextResp: {
      const maxXmitFrag = r.u16();
      const maxRecvFrag = r.u16();
      const assocGroupId = r.u32();
      const addrLen = r.u16();
      const addrBytes = r.bytes(addrLen);
      let secondaryAddress = '';
      for (const c of addrBytes) if (c !== 0) secondaryAddress += String.fromCharCode(c);
      r.align(4);
      const n = r.u8();
      r.skip(3);
      const results: ContextResultItem[] = [];
      for (let i = 0; i < n; i++) results.push({ result: r.u16(), reason: r.u16(), transferSyntax: readSyntax(r) });
      const kind = header.type === PduType.bindAck ? 'bind_ack' : 'alter_context_resp';
      return { kind, header, maxXmitFrag, maxRecvFrag, assocGroupId, secondaryAddress, results };
    }
    case PduType.bindNak: {
      const rejectReason = r.u16();
      const versions: { major: number; minor: number }[] = [];
      if (r.remaining > 0) {
        const n = r.u8();
        for (let i = 0; i < n; i++) versions.push({ major: r.u8(), minor: r.u8() });
      }
      return { kind: 'bind_nak', header, rejectReason, versions };
    }
    case PduType.request: {
      const allocHint = r.u32();
      const contextId = r.u16();
      const opnum = r.u16();
      const objectUuid = header.flags & PfcFlags.objectUuid ? guidBytesToUuid(r.bytes(16)) : null;
      const stub = r.bytes(r.remaining);
      return { kind: 'request', header, allocHint, contextId, opnum, objectUuid, stub };
    }
    case PduType.response: {
      const allocHint = r.u32();
      const contextId = r.u16();
      const cancelCount = r.u8();
      r.skip(1);
      return { kind: 'response', header, allocHint, contextId, cancelCount, stub: r.bytes(r.remaining) };
    }
    case PduType.fault: {
      const allocHint = r.u32();
      const contextId = r.u16();
      const cancelCount = r.u8();
      r.skip(1);
      const status = r.u32();
      return { kind: 'fault', header, allocHint, contextId, cancelCount, status };
    }
    default:
      return { kind: 'other', header };
  }
}

interface HeaderFields {
  type: number;
  flags: number;
  callId: number;
}

/** `capacity`: the PDU's whole length when known, so the writer neither grows nor copies at the end. */
function startPdu({ type, flags, callId }: HeaderFields, capacity = 128): ByteWriter {
  const w = new ByteWriter(capacity);
  w.u8(5).u8(0).u8(type).u8(flags);
  for (const b of DREP_LE_ASCII_IEEE) w.u8(b);
  w.u16(0).u16(0).u32(callId);
  return w;
}

function finishPdu(w: ByteWriter): Uint8Array {
  w.patchU16(8, w.position);
  return w.finish();
}

const WHOLE = PfcFlags.firstFrag | PfcFlags.lastFrag;

export function encodeBind(callId: number, body: BindBody, alter = false): Uint8Array {
  const w = startPdu({ type: alter ? PduType.alterContext : PduType.bind, flags: WHOLE, callId });
  w.u16(body.maxXmitFrag).u16(body.maxRecvFrag).u32(body.assocGroupId);
  w.u8(body.contexts.length).zeros(3);
  for (const c of body.contexts) {
    w.u16(c.contextId).u8(c.transferSyntaxes.length).u8(0);
    writeSyntax(w, c.abstractSyntax);
    for (const t of c.transferSyntaxes) writeSyntax(w, t);
  }
  return finishPdu(w);
}

export function encodeBindAck(callId: number, body: BindAckBody, alter = false): Uint8Array {
  const w = startPdu({ type: alter ? PduType.alterContextResp : PduType.bindAck, flags: WHOLE, callId });
  w.u16(body.maxXmitFrag).u16(body.maxRecvFrag).u32(body.assocGroupId);
  if (body.secondaryAddress === '') {
    w.u16(0);
  } else {
    w.u16(body.secondaryAddress.length + 1);
    for (let i = 0; i < body.secondaryAddress.length; i++) w.u8(body.secondaryAddress.charCodeAt(i) & 0x7f);
    w.u8(0);
  }
  w.align(4);
  w.u8(body.results.length).zeros(3);
  for (const res of body.results) {
    w.u16(res.result).u16(res.reason);
    writeSyntax(w, res.transferSyntax);
  }
  return finishPdu(w);
}

export function encodeBindNak(callId: number, rejectReason: number): Uint8Array {
  const w = startPdu({ type: PduType.bindNak, flags: WHOLE, callId });
  // One supported protocol version follows the reason: 5.0.
  w.u16(rejectReason).u8(1).u8(5).u8(0);
  return finishPdu(w);
}

export function encodeRequestFragment(f: {
  callId: number;
  flags: number;
  allocHint: number;
  contextId: number;
  opnum: number;
  stub: Uint8Array;
}): Uint8Array {
  const w = startPdu({ type: PduType.request, flags: f.flags, callId: f.callId }, 24 + f.stub.byteLength);
  w.u32(f.allocHint).u16(f.contextId).u16(f.opnum).bytes(f.stub);
  return finishPdu(w);
}

export function encodeResponseFragment(f: {
  callId: number;
  flags: number;
  allocHint: number;
  contextId: number;
  stub: Uint8Array;
}): Uint8Array {
  const w = startPdu({ type: PduType.response, flags: f.flags, callId: f.callId }, 24 + f.stub.byteLength);
  w.u32(f.allocHint).u16(f.contextId).u8(0).u8(0).bytes(f.stub);
  return finishPdu(w);
}

export function encodeFault(callId: number, contextId: number, status: number, didNotExecute = true): Uint8Array {
  const flags = WHOLE | (didNotExecute ? PfcFlags.didNotExecute : 0);
  const w = startPdu({ type: PduType.fault, flags, callId });
  w.u32(0).u16(contextId).u8(0).u8(0).u32(status).u32(0);
  return finishPdu(w);
}

/**
 * Splits a stub into fragments no longer than `maxFrag` bytes. Every fragment but the last carries
 * a multiple of 8 stub bytes, so NDR alignment survives reassembly.
 */
export function splitStub(stub: Uint8Array, maxFrag: number, headerLength: number): Uint8Array[] {
  const per = Math.max(8, Math.floor((maxFrag - headerLength) / 8) * 8);
  if (stub.byteLength <= per) return [stub];
  const parts: Uint8Array[] = [];
  for (let at = 0; at < stub.byteLength; at += per) parts.push(stub.subarray(at, Math.min(at + per, stub.byteLength)));
  return parts;
}

function fragFlags(i: number, n: number): number {
  return (i === 0 ? PfcFlags.firstFrag : 0) | (i === n - 1 ? PfcFlags.lastFrag : 0);
}

export function encodeRequest(
  callId: number,
  contextId: number,
  opnum: number,
  stub: Uint8Array,
  maxFrag: number,
): Uint8Array[] {
  const parts = splitStub(stub, maxFrag, REQUEST_HEADER_LENGTH);
  let left = stub.byteLength;
  return parts.map((part, i) => {
    const frag = encodeRequestFragment({
      callId,
      flags: fragFlags(i, parts.length),
      allocHint: left,
      contextId,
      opnum,
      stub: part,
    });
    left -= part.byteLength;
    return frag;
  });
}

export function encodeResponse(callId: number, contextId: number, stub: Uint8Array, maxFrag: number): Uint8Array[] {
  const parts = splitStub(stub, maxFrag, RESPONSE_HEADER_LENGTH);
  let left = stub.byteLength;
  return parts.map((part, i) => {
    const frag = encodeResponseFragment({
      callId,
      flags: fragFlags(i, parts.length),
      allocHint: left,
      contextId,
      stub: part,
    });
    left -= part.byteLength;
    return frag;
  });
}
