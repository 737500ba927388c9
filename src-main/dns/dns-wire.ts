/**
 * The pieces of DNS wire format that dynamic update needs beyond what dns-packet offers: resource
 * records in the classes NONE and ANY (RFC 2136 section 2.4/2.5 give them meaning in prerequisites
 * and deletions), a header with the UPDATE opcode, and a walk over a message that finds where its
 * last record starts (TSIG verification needs the message without it). Names and record data are
 * encoded by dns-packet.
 */
import dnsPacket from 'dns-packet';

/** dns-packet's name and record-data codecs; its type declarations leave them out. */
interface DataCodec<T> {
  encode(data: T): Buffer;
}
interface PacketInternals {
  name: { encode(name: string): Buffer };
  record(type: string): DataCodec<unknown>;
}
const internals = dnsPacket as unknown as PacketInternals;

export const DnsClass = { IN: 1, NONE: 254, ANY: 255 } as const;
export const DnsType = { A: 1, SOA: 6, AAAA: 28, SRV: 33, TSIG: 250, ANY: 255 } as const;
export const OPCODE_UPDATE = 5;

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** A record as an UPDATE carries it. `data` null means empty RDATA (rdlength 0). */
export interface WireRecord {
  name: string;
  type: 'A' | 'AAAA' | 'SRV' | 'SOA' | 'ANY';
  klass: number;
  ttl: number;
  data: SrvData | string | null;
}

/** A name in uncompressed wire form; `canonical` lower-cases it (RFC 4034 6.2, used by TSIG). */
export function encodeName(name: string, canonical = false): Buffer {
  const n = name.replace(/\.$/, '');
  return internals.name.encode(canonical ? n.toLowerCase() : n === '' ? '.' : n);
}

/** RDATA with its 2-byte length in front, as dns-packet's codecs write it. */
function encodeRdata(record: WireRecord): Buffer {
  if (record.data === null) return Buffer.from([0, 0]);
  return internals.record(record.type).encode(record.data);
}

export function encodeRecord(record: WireRecord): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(DnsType[record.type], 0);
  head.writeUInt16BE(record.klass, 2);
  head.writeUInt32BE(record.ttl, 4);
  return Buffer.concat([encodeName(record.name), head, encodeRdata(record)]);
}

export interface UpdateSections {
  id: number;
  zone: string;
  prerequisites: WireRecord[];
  updates: WireRecord[];
}

/** An UPDATE message (RFC 2136 section 2): zone, prerequisite and update sections, no additional records yet. */
export function encodeUpdate(m: UpdateSections): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(m.id, 0);
  header.writeUInt16BE(OPCODE_UPDATE << 11, 2);
  header.writeUInt16BE(1, 4); // ZOCOUNT
  header.writeUInt16BE(m.prerequisites.length, 6);
  header.writeUInt16BE(m.updates.length, 8);
  header.writeUInt16BE(0, 10);
  const zone = Buffer.concat([encodeName(m.zone), Buffer.from([0, DnsType.SOA, 0, DnsClass.IN])]);
  return Buffer.concat([header, zone, ...m.prerequisites.map(encodeRecord), ...m.updates.map(encodeRecord)]);
}

export class WireFormatError extends Error {}

function skipName(buf: Buffer, offset: number): number {
  for (let guard = 0; guard < 128; guard++) {
    if (offset >= buf.length) throw new WireFormatError('a name runs past the end of the message');
    const len = buf[offset]!;
    if (len === 0) return offset + 1;
    if ((len & 0xc0) === 0xc0) return offset + 2;
    if ((len & 0xc0) !== 0) throw new WireFormatError('a name has a label type this client does not know');
    offset += 1 + len;
  }
  throw new WireFormatError('a name has too many labels');
}

export interface MessageLayout {
  id: number;
  flags: number;
  rcode: number;
  counts: [number, number, number, number];
  /** Offset of the last record of the additional section, or -1 when it is empty. */
  lastAdditionalAt: number;
}

/** Reads the header and walks every section, so that a truncated or malformed answer is caught here. */
export function layoutOf(buf: Buffer): MessageLayout {
  if (buf.length < 12) throw new WireFormatError(`the message is ${buf.length} bytes, shorter than a DNS header`);
  const counts: [number, number, number, number] = [
    buf.readUInt16BE(4),
    buf.readUInt16BE(6),
    buf.readUInt16BE(8),
    buf.readUInt16BE(10),
  ];
  let at = 12;
  for (let i = 0; i < counts[0]; i++) at = skipName(buf, at) + 4;
  let lastAdditionalAt = -1;
  const records = counts[1] + counts[2] + counts[3];
  for (let i = 0; i < records; i++) {
    if (i === records - 1 && counts[3] > 0) lastAdditionalAt = at;
    at = skipName(buf, at);
    if (at + 10 > buf.length) throw new WireFormatError('a record runs past the end of the message');
    at += 10 + buf.readUInt16BE(at + 8);
  }
  if (at > buf.length) throw new WireFormatError('a record runs past the end of the message');
  const flags = buf.readUInt16BE(2);
  return { id: buf.readUInt16BE(0), flags, rcode: flags & 0xf, counts, lastAdditionalAt };
}

export const RCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
  16: 'BADSIG',
  17: 'BADKEY',
  18: 'BADTIME',
  22: 'BADTRUNC',
};

export function rcodeName(code: number): string {
  return RCODE_NAMES[code] ?? `RCODE ${code}`;
}
