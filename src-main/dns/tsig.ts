/**
 * TSIG (RFC 8945): signs an UPDATE with a shared HMAC key and checks the server's signed answer.
 * The MAC of a request covers the message (without the TSIG record) and the "TSIG variables";
 * the MAC of the answer also covers the request's MAC first (section 4.3.3), which ties the
 * answer to this request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DnsClass, DnsType, encodeName, layoutOf, WireFormatError } from './dns-wire.js';

export const TSIG_ALGORITHMS = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512'] as const;
export type TsigAlgorithm = (typeof TSIG_ALGORITHMS)[number];

export interface TsigKey {
  /** The key's name as the server knows it, e.g. "quorum-key". */
  name: string;
  algorithm: TsigAlgorithm;
  secret: Buffer;
}

/** RFC 8945 recommends 300 s of fudge. */
export const DEFAULT_FUDGE_S = 300;

const HASH_OF: Record<TsigAlgorithm, string> = {
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
};

interface TsigFields {
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  other: Buffer;
}

/** The TSIG variables of section 4.3.3 (what is MACed after the message). */
function variables(key: TsigKey, f: Omit<TsigFields, 'mac' | 'originalId'>): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(DnsClass.ANY, 0);
  fixed.writeUInt32BE(0, 2);
  const tail = Buffer.alloc(10);
  writeTime(tail, 0, f.timeSigned);
  tail.writeUInt16BE(f.fudge, 6);
  tail.writeUInt16BE(f.error, 8);
  const other = Buffer.alloc(2);
  other.writeUInt16BE(f.other.length, 0);
  return Buffer.concat([encodeName(key.name, true), fixed, encodeName(key.algorithm, true), tail, other, f.other]);
}

function writeTime(buf: Buffer, at: number, seconds: number): void {
  buf.writeUInt16BE(Math.floor(seconds / 2 ** 32), at);
  buf.writeUInt32BE(seconds % 2 ** 32, at + 2);
}

function mac(key: TsigKey, parts: Buffer[]): Buffer {
  const h = createHmac(HASH_OF[key.algorithm], key.secret);
  for (const p of parts) h.update(p);
  return h.digest();
}

function tsigRecord(key: TsigKey, f: TsigFields): Buffer {
  const rdata = Buffer.concat([
    encodeName(key.algorithm, true),
    (() => {
      const b = Buffer.alloc(10);
      writeTime(b, 0, f.timeSigned);
      b.writeUInt16BE(f.fudge, 6);
      b.writeUInt16BE(f.mac.length, 8);
      return b;
    })(),
    f.mac,
    (() => {
      const b = Buffer.alloc(6);
      b.writeUInt16BE(f.originalId, 0);
      b.writeUInt16BE(f.error, 2);
      b.writeUInt16BE(f.other.length, 4);
      return b;
    })(),
    f.other,
  ]);
  const head = Buffer.alloc(10);
  head.writeUInt16BE(DnsType.TSIG, 0);
  head.writeUInt16BE(DnsClass.ANY, 2);
  head.writeUInt32BE(0, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(key.name, true), head, rdata]);
}

export interface SignedMessage {
  bytes: Buffer;
  /** Kept to verify the answer. */
  requestMac: Buffer;
}

/** Appends a TSIG record to `message` (which has none), signed at `nowS` (seconds since the epoch). */
export function signMessage(message: Buffer, key: TsigKey, nowS: number, fudge = DEFAULT_FUDGE_S): SignedMessage {
  const fields = { timeSigned: nowS, fudge, error: 0, other: Buffer.alloc(0) };
  const requestMac = mac(key, [message, variables(key, fields)]);
  const record = tsigRecord(key, { ...fields, mac: requestMac, originalId: message.readUInt16BE(0) });
  const bytes = Buffer.concat([message, record]);
  bytes.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { bytes, requestMac };
}

export interface ParsedTsig extends TsigFields {
  keyName: string;
  algorithm: string;
  /** The message without its TSIG record, ARCOUNT lowered and the original ID restored. */
  unsigned: Buffer;
}

function readName(buf: Buffer, at: number): { name: string; next: number } {
  const labels: string[] = [];
  for (let guard = 0; guard < 128; guard++) {
    const len = buf[at];
    if (len === undefined) throw new WireFormatError('the TSIG record is cut short');
    if (len === 0) return { name: labels.join('.'), next: at + 1 };
    // RFC 8945 section 4.2: names in TSIG are never compressed; the owner name may be, by some servers.
    if ((len & 0xc0) === 0xc0) {
      const target = buf.readUInt16BE(at) & 0x3fff;
      if (target >= at) throw new WireFormatError('a name in the TSIG record points forward');
      return { name: [...labels, readName(buf, target).name].filter(Boolean).join('.'), next: at + 2 };
    }
    labels.push(buf.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  throw new WireFormatError('a name in the TSIG record has too many labels');
}

/** The TSIG record of a message, or null when its last additional record is not one. */
export function parseTsig(message: Buffer): ParsedTsig | null {
  const layout = layoutOf(message);
  if (layout.lastAdditionalAt < 0) return null;
  const owner = readName(message, layout.lastAdditionalAt);
  let at = owner.next;
  if (message.readUInt16BE(at) !== DnsType.TSIG) return null;
  at += 10;
  const alg = readName(message, at);
  at = alg.next;
  const timeSigned = message.readUInt16BE(at) * 2 ** 32 + message.readUInt32BE(at + 2);
  const fudge = message.readUInt16BE(at + 6);
  const macSize = message.readUInt16BE(at + 8);
  at += 10;
  if (at + macSize + 6 > message.length) throw new WireFormatError('the TSIG record is cut short');
  const macBytes = message.subarray(at, at + macSize);
  at += macSize;
  const originalId = message.readUInt16BE(at);
  const error = message.readUInt16BE(at + 2);
  const otherLen = message.readUInt16BE(at + 4);
  const other = message.subarray(at + 6, at + 6 + otherLen);
  const unsigned = Buffer.from(message.subarray(0, layout.lastAdditionalAt));
  unsigned.writeUInt16BE(originalId, 0);
  unsigned.writeUInt16BE(layout.counts[3] - 1, 10);
  return {
    keyName: owner.name.toLowerCase(),
    algorithm: alg.name.toLowerCase(),
    timeSigned,
    fudge,
    mac: Buffer.from(macBytes),
    originalId,
    error,
    other: Buffer.from(other),
    unsigned,
  };
}

export type AnswerCheck =
  | { ok: true; tsig: ParsedTsig }
  /** The answer is not signed at all (e.g. the server did not know the key), or names another key. */
  | { ok: false; why: 'unsigned' | 'other-key' | 'bad-mac' | 'bad-time'; tsig: ParsedTsig | null };

/**
 * Checks the server's answer to a request signed with `requestMac`. An answer with a TSIG error
 * (BADSIG, BADKEY) carries an empty MAC: it is reported as such by the caller, from `tsig.error`.
 */
export function verifyAnswer(answer: Buffer, key: TsigKey, requestMac: Buffer, nowS: number): AnswerCheck {
  const tsig = parseTsig(answer);
  if (!tsig) return { ok: false, why: 'unsigned', tsig: null };
  if (tsig.keyName !== key.name.replace(/\.$/, '').toLowerCase() || tsig.algorithm !== key.algorithm) {
    return { ok: false, why: 'other-key', tsig };
  }
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(requestMac.length, 0);
  const expected = mac(key, [prefix, requestMac, tsig.unsigned, variables(key, tsig)]);
  if (tsig.mac.length !== expected.length || !timingSafeEqual(tsig.mac, expected)) {
    return { ok: false, why: 'bad-mac', tsig };
  }
  if (Math.abs(nowS - tsig.timeSigned) > tsig.fudge) return { ok: false, why: 'bad-time', tsig };
  return { ok: true, tsig };
}
