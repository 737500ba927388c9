/**
 * The activation journal's row format: one queued write as a short binary record, written on the
 * reply's path and read back once by the apply. JSON of the whole record was twice the size
 * (so fewer rows per page, more pages per commit) and its serialisation ran on every reply; here
 * every field has a fixed place and strings are UTF-8 with a length.
 *
 * Layout (numbers little-endian): byte 0 the format (1), byte 1 the kind (1 activation, 2 refusal,
 * 3 engine changes), then the kind's fields in the order the encoders below write them. A number
 * is a float64 (every JavaScript number round-trips), a string a u32 byte length and its UTF-8
 * bytes, an optional value a presence byte first. A lone surrogate in a name becomes U+FFFD, which
 * is what the inventory stores anyway (well-formed.ts).
 *
 * Rows written by builds before this format are JSON text; `decodeJournalRecord` reads both, so
 * a database upgraded with rows still pending applies them as before.
 */
import type { RequestResult } from '../../shared/domain/records.js';
import type { LicenseState } from '../../shared/domain/license-state.js';
import type { ActivationDecision, ActivationInput, EngineChange } from '../engine/types.js';
import type { RefusalRecord } from './types.js';
import type { QueuedWrite } from './write-activations.js';

const FORMAT = 1;
const KIND = { activation: 1, refusal: 2, 'engine-changes': 3 } as const;
const CHANGE = { 'cmid-upsert': 1, 'cmid-remove': 2, capacity: 3 } as const;

class RecordWriter {
  #buf = Buffer.allocUnsafe(512);
  #pos = 0;

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + n));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  u8(v: number): void {
    this.#room(1);
    this.#buf[this.#pos++] = v;
  }

  num(v: number): void {
    this.#room(8);
    this.#pos = this.#buf.writeDoubleLE(v, this.#pos);
  }

  str(v: string): void {
    // At most three bytes per UTF-16 unit: room first, then the length once the bytes are written.
    this.#room(4 + v.length * 3);
    const buf = this.#buf;
    const start = this.#pos + 4;
    // Most fields are short ASCII (UUIDs, addresses): copied here, as a call into Buffer.write costs more.
    let i = 0;
    for (; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c > 0x7f) break;
      buf[start + i] = c;
    }
    const written = i === v.length ? i : i + buf.write(v.slice(i), start + i, 'utf8');
    buf.writeUInt32LE(written, this.#pos);
    this.#pos = start + written;
  }

  bool(v: boolean): void {
    this.u8(v ? 1 : 0);
  }

  optional<T>(v: T | undefined | null, write: (v: T) => void): void {
    if (v === undefined || v === null) return this.u8(0);
    this.u8(1);
    write(v);
  }

  finish(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }
}

class RecordReader {
  readonly #buf: Buffer;
  #pos = 0;

  constructor(buf: Buffer) {
    this.#buf = buf;
  }

  #need(n: number): number {
    if (this.#pos + n > this.#buf.length) {
      throw new Error(
        `journal record ends early: ${n} more bytes needed at offset ${this.#pos} of ${this.#buf.length}`,
      );
    }
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  u8(): number {
    return this.#buf[this.#need(1)]!;
  }

  num(): number {
    return this.#buf.readDoubleLE(this.#need(8));
  }

  str(): string {
    const n = this.#buf.readUInt32LE(this.#need(4));
    const at = this.#need(n);
    return this.#buf.toString('utf8', at, at + n);
  }

  bool(): boolean {
    return this.u8() === 1;
  }

  optional<T>(read: () => T): T | undefined {
    return this.u8() === 1 ? read() : undefined;
  }

  end(): void {
    if (this.#pos !== this.#buf.length) {
      throw new Error(`journal record has ${this.#buf.length - this.#pos} bytes after its last field`);
    }
  }
}

export function encodeJournalRecord(item: QueuedWrite): Buffer {
  const w = new RecordWriter();
  w.u8(FORMAT);
  w.u8(KIND[item.kind]);
  if (item.kind === 'activation') {
    const { at, input, decision, changes } = item.record;
    w.num(at);
    writeInput(w, input);
    writeDecision(w, decision);
    writeChanges(w, changes);
  } else if (item.kind === 'refusal') {
    writeRefusal(w, item.record);
  } else {
    writeChanges(w, item.changes);
  }
  return w.finish();
}

/** A journal row's body back into the write it records: binary rows, and JSON rows of older builds. */
export function decodeJournalRecord(body: Buffer | string): QueuedWrite {
  if (typeof body === 'string') return JSON.parse(body) as QueuedWrite;
  const r = new RecordReader(body);
  const format = r.u8();
  if (format !== FORMAT) throw new Error(`journal record has format ${format}; this build reads format ${FORMAT}`);
  const kind = r.u8();
  let item: QueuedWrite;
  if (kind === KIND.activation) {
    const at = r.num();
    const input = readInput(r);
    const decision = readDecision(r);
    item = { kind: 'activation', record: { at, input, decision, changes: readChanges(r) } };
  } else if (kind === KIND.refusal) {
    item = { kind: 'refusal', record: readRefusal(r) };
  } else if (kind === KIND['engine-changes']) {
    item = { kind: 'engine-changes', changes: readChanges(r) };
  } else {
    throw new Error(`journal record has unknown kind ${kind}`);
  }
  r.end();
  return item;
}

function writeInput(w: RecordWriter, i: ActivationInput): void {
  w.str(i.cmid);
  w.optional(i.previousCmid, (v) => w.str(v));
  w.str(i.machineName);
  w.str(i.address);
  w.str(i.applicationId);
  w.str(i.productId);
  w.str(i.productGroupId);
  w.num(i.licenseState);
  w.num(i.remainingMinutes);
  w.bool(i.isVm);
  w.num(i.clientTime);
}

function readInput(r: RecordReader): ActivationInput {
  return {
    cmid: r.str(),
    previousCmid: r.optional(() => r.str()) ?? null,
    machineName: r.str(),
    address: r.str(),
    applicationId: r.str(),
    productId: r.str(),
    productGroupId: r.str(),
    licenseState: r.num() as LicenseState,
    remainingMinutes: r.num(),
    isVm: r.bool(),
    clientTime: r.num(),
  };
}

function writeDecision(w: RecordWriter, d: ActivationDecision): void {
  w.str(d.result);
  w.bool(d.granted);
  w.num(d.count);
  w.num(d.threshold);
  w.num(d.activationIntervalMin);
  w.num(d.renewalIntervalMin);
  w.num(d.validityMin);
  w.num(d.hostTime);
  w.optional(d.message, (v) => w.str(v));
}

function readDecision(r: RecordReader): ActivationDecision {
  const d: ActivationDecision = {
    result: r.str() as RequestResult,
    granted: r.bool(),
    count: r.num(),
    threshold: r.num(),
    activationIntervalMin: r.num(),
    renewalIntervalMin: r.num(),
    validityMin: r.num(),
    hostTime: r.num(),
  };
  const message = r.optional(() => r.str());
  if (message !== undefined) d.message = message;
  return d;
}

function writeChanges(w: RecordWriter, changes: readonly EngineChange[]): void {
  w.num(changes.length);
  for (const c of changes) {
    w.u8(CHANGE[c.kind]);
    if (c.kind === 'cmid-upsert') {
      const e = c.entry;
      w.str(e.applicationId);
      w.str(e.cmid);
      w.num(e.lastSeen);
      w.str(e.machineName);
      w.str(e.address);
      w.str(e.productId);
    } else if (c.kind === 'cmid-remove') {
      w.str(c.applicationId);
      w.str(c.cmid);
    } else {
      w.str(c.applicationId);
      w.num(c.capacity);
    }
  }
}

function readChanges(r: RecordReader): EngineChange[] {
  const n = r.num();
  const changes: EngineChange[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.u8();
    if (kind === CHANGE['cmid-upsert']) {
      const entry = {
        applicationId: r.str(),
        cmid: r.str(),
        lastSeen: r.num(),
        machineName: r.str(),
        address: r.str(),
        productId: r.str(),
      };
      changes.push({ kind: 'cmid-upsert', entry });
    } else if (kind === CHANGE['cmid-remove']) {
      changes.push({ kind: 'cmid-remove', applicationId: r.str(), cmid: r.str() });
    } else if (kind === CHANGE.capacity) {
      changes.push({ kind: 'capacity', applicationId: r.str(), capacity: r.num() });
    } else {
      throw new Error(`journal record has unknown change kind ${kind}`);
    }
  }
  return changes;
}

/** A refusal's optional fields, each behind its presence byte, in this order. */
function writeRefusal(w: RecordWriter, f: RefusalRecord): void {
  w.num(f.at);
  w.str(f.result);
  w.str(f.address);
  w.optional(f.cmid, (v) => w.str(v));
  w.optional(f.machineName, (v) => w.str(v));
  w.optional(f.applicationId, (v) => w.str(v));
  w.optional(f.productId, (v) => w.str(v));
  w.optional(f.licenseState, (v) => w.num(v));
  w.optional(f.isVm, (v) => w.bool(v));
  w.optional(f.clientTime, (v) => w.num(v));
  w.optional(f.remainingMinutes, (v) => w.num(v));
}

function readRefusal(r: RecordReader): RefusalRecord {
  const f: RefusalRecord = { at: r.num(), result: r.str() as RequestResult, address: r.str() };
  const cmid = r.optional(() => r.str());
  const machineName = r.optional(() => r.str());
  const applicationId = r.optional(() => r.str());
  const productId = r.optional(() => r.str());
  const licenseState = r.optional(() => r.num());
  const isVm = r.optional(() => r.bool());
  const clientTime = r.optional(() => r.num());
  const remainingMinutes = r.optional(() => r.num());
  // Absent fields stay absent, as the refusal was recorded (the log writes its defaults for them).
  if (cmid !== undefined) f.cmid = cmid;
  if (machineName !== undefined) f.machineName = machineName;
  if (applicationId !== undefined) f.applicationId = applicationId;
  if (productId !== undefined) f.productId = productId;
  if (licenseState !== undefined) f.licenseState = licenseState;
  if (isVm !== undefined) f.isVm = isVm;
  if (clientTime !== undefined) f.clientTime = clientTime;
  if (remainingMinutes !== undefined) f.remainingMinutes = remainingMinutes;
  return f;
}
