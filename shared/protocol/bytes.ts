/**
 * Little-endian byte reading and writing for the wire codecs. The reader never reads past its
 * bounds: every overrun becomes a QuorumError with a PROTOCOL_* code, never a RangeError.
 */
import { QuorumError } from '../domain/errors.js';

export class ByteReader {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  #pos: number;
  readonly #what: string;

  constructor(bytes: Uint8Array, what: string, start = 0) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = start;
    this.#what = what;
  }

  get position(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#bytes.byteLength - this.#pos;
  }

  #need(n: number): number {
    if (n < 0 || this.#pos + n > this.#bytes.byteLength) {
      throw new QuorumError(
        'PROTOCOL_TRUNCATED',
        `The ${this.#what} ends early: ${String(n)} more bytes were needed at offset ${String(this.#pos)} of ${String(this.#bytes.byteLength)}.`,
        'The peer sent a short or damaged message; check that it speaks QAP version 1 (docs/protocol.md).',
      );
    }
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  u8(): number {
    return this.#view.getUint8(this.#need(1));
  }

  u16(): number {
    return this.#view.getUint16(this.#need(2), true);
  }

  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }

  /** An unsigned 64-bit value that must fit a JavaScript number exactly (times in ms). */
  u53(field: string): number {
    const at = this.#need(8);
    const lo = this.#view.getUint32(at, true);
    const hi = this.#view.getUint32(at + 4, true);
    if (hi > 0x1fffff) {
      throw new QuorumError(
        'PROTOCOL_BAD_FIELD',
        `The ${this.#what} field ${field} is out of range (above 2^53-1).`,
        'Times are milliseconds since the Unix epoch; check the sender clock and encoder.',
      );
    }
    return hi * 0x1_0000_0000 + lo;
  }

  bytes(n: number): Uint8Array {
    const at = this.#need(n);
    return this.#bytes.subarray(at, at + n);
  }

  skip(n: number): void {
    this.#need(n);
  }

  /** Skips padding so that the position becomes a multiple of `n` (counted from the buffer start). */
  align(n: number): void {
    const pad = (n - (this.#pos % n)) % n;
    this.#need(pad);
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;

  constructor(initial = 256) {
    this.#buf = new Uint8Array(initial);
    this.#view = new DataView(this.#buf.buffer);
  }

  get position(): number {
    return this.#pos;
  }

  /** Reserves `n` bytes and returns where they start. Call it BEFORE reading #view: it may replace the buffer. */
  #room(n: number): number {
    if (this.#pos + n > this.#buf.byteLength) {
      const next = new Uint8Array(Math.max(this.#buf.byteLength * 2, this.#pos + n));
      next.set(this.#buf.subarray(0, this.#pos));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  u8(v: number): this {
    const at = this.#room(1);
    this.#view.setUint8(at, v);
    return this;
  }

  u16(v: number): this {
    const at = this.#room(2);
    this.#view.setUint16(at, v, true);
    return this;
  }

  u32(v: number): this {
    const at = this.#room(4);
    this.#view.setUint32(at, v >>> 0, true);
    return this;
  }

  u53(v: number): this {
    const at = this.#room(8);
    this.#view.setUint32(at, v % 0x1_0000_0000, true);
    this.#view.setUint32(at + 4, Math.floor(v / 0x1_0000_0000), true);
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.#room(b.byteLength);
    this.#buf.set(b, at);
    return this;
  }

  zeros(n: number): this {
    const at = this.#room(n);
    this.#buf.fill(0, at, this.#pos);
    return this;
  }

  align(n: number): this {
    return this.zeros((n - (this.#pos % n)) % n);
  }

  /** Overwrites a u16 at an earlier offset (lengths known only at the end). */
  patchU16(at: number, v: number): this {
    this.#view.setUint16(at, v, true);
    return this;
  }

  /** The bytes written. The writer is done after this: a writer filled exactly hands over its buffer, uncopied. */
  finish(): Uint8Array {
    const done = this.#pos === this.#buf.byteLength ? this.#buf : this.#buf.slice(0, this.#pos);
    // Any later write goes to a fresh buffer, never into the bytes handed out.
    this.#buf = EMPTY;
    this.#view = EMPTY_VIEW;
    this.#pos = 0;
    return done;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}

/** Value of each ASCII hex digit by character code, -1 for anything else. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

function hexDigit(hex: string, at: number): number {
  const c = hex.charCodeAt(at);
  return c < 128 ? HEX_VALUE[c]! : -1;
}

export function fromHex(hex: string): Uint8Array {
  const bad = () => new QuorumError('PROTOCOL_BAD_HEX', 'The hex text has an odd length or a non-hex character.');
  if (hex.length % 2 !== 0) throw bad();
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(hex, i * 2);
    const lo = hexDigit(hex, i * 2 + 1);
    if (hi < 0 || lo < 0) throw bad();
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/**
 * DCE/RPC puts UUIDs on the wire in the mixed-endian GUID order (first three groups little-endian),
 * as every DCE/RPC implementation and tshark expect.
 */
export function uuidToGuidBytes(uuid: string): Uint8Array {
  // Binds name the same few interface and transfer syntaxes on every connection.
  let cached = guidCache.get(uuid);
  if (!cached) {
    const b = fromHex(uuid.replace(/-/g, ''));
    cached = new Uint8Array(16);
    cached.set([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!], 0);
    cached.set(b.subarray(8), 8);
    if (guidCache.size >= 64) guidCache.clear();
    guidCache.set(uuid, cached);
  }
  return cached.slice();
}

const guidCache = new Map<string, Uint8Array>();

/** Byte positions in text order: a GUID's first three fields are little-endian on the DCE/RPC wire. */
const GUID_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15] as const;
const RFC_ORDER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;

/** 8-4-4-4-12 text straight from the lookup table: no intermediate hex string and slices. */
function uuidText(b: Uint8Array, order: readonly number[]): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[order[i]!]!]!;
  }
  return s;
}

export function guidBytesToUuid(b: Uint8Array): string {
  return uuidText(b, GUID_ORDER);
}

/** QAP message UUIDs (CMIDs, product ids) are sent in RFC 4122 (big-endian, text) order. */
export function uuidToBytes(uuid: string): Uint8Array {
  if (uuid.length !== 36) return fromHex(uuid.replace(/-/g, ''));
  // The canonical 8-4-4-4-12 form: read the digits in place instead of building a copy without dashes.
  const out = new Uint8Array(16);
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (at === 8 || at === 13 || at === 18 || at === 23) {
      if (uuid.charCodeAt(at) !== 0x2d) return fromHex(uuid.replace(/-/g, ''));
      at++;
    }
    const hi = hexDigit(uuid, at);
    const lo = hexDigit(uuid, at + 1);
    if (hi < 0 || lo < 0) return fromHex(uuid.replace(/-/g, ''));
    out[i] = (hi << 4) | lo;
    at += 2;
  }
  return out;
}

export function bytesToUuid(b: Uint8Array): string {
  return uuidText(b, RFC_ORDER);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
