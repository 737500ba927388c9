/**
 * The benchmark's QAP client: the same bytes on the wire as `rpcCall` (bind, then opnum 0 on context
 * 0), but built for load, so the client is not what limits the measurement. Every request PDU is
 * encoded once per client id; a call copies it and writes a fresh nonce, client time and call id in
 * place. No timers, and no error objects unless something fails. It checks what it needs to count
 * a call as answered: an accepted bind_ack, then a response (not a fault) to the same call id.
 */
import { randomFillSync } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import {
  ContextResult,
  NDR20_SYNTAX,
  PduType,
  PfcFlags,
  REQUEST_FIXED_LENGTH,
  REQUEST_HEADER_LENGTH,
  NONCE_LENGTH,
  decodeActivationRequest,
  decodePdu,
  encodeBind,
  encodeRequest,
  faultName,
  peekFragLength,
  type ActivationRequest,
} from '../shared/protocol/index.js';
import { encodeActivationRequest } from '../shared/protocol/qap-codec.js';
import { QAP_INTERFACE_UUID, QAP_INTERFACE_VERSION, QAP_OPNUM_ACTIVATE } from '../shared/protocol/qap-types.js';

const MAX_FRAGMENT = 5840;
/** In a v1 request the nonce ends the fixed part and the 8-byte client time precedes it. */
export const NONCE_AT = REQUEST_HEADER_LENGTH + REQUEST_FIXED_LENGTH - NONCE_LENGTH;
export const CLIENT_TIME_AT = NONCE_AT - 8;
/** The CMID follows the request's magic, version and flags. */
export const CMID_AT = REQUEST_HEADER_LENGTH + 8;

export const BIND = Buffer.from(
  encodeBind(1, {
    maxXmitFrag: MAX_FRAGMENT,
    maxRecvFrag: MAX_FRAGMENT,
    assocGroupId: 0,
    contexts: [
      {
        contextId: 0,
        abstractSyntax: { uuid: QAP_INTERFACE_UUID, ...QAP_INTERFACE_VERSION },
        transferSyntaxes: [NDR20_SYNTAX],
      },
    ],
  }),
);

/** One request PDU per client id, with call id 2 (the first call after the bind). */
export function requestTemplates(requests: ActivationRequest[]): Buffer[] {
  return requests.map((req) => {
    const frags = encodeRequest(2, 0, QAP_OPNUM_ACTIVATE, encodeActivationRequest(req), MAX_FRAGMENT);
    if (frags.length !== 1) throw new Error('a benchmark request must fit one fragment');
    const pdu = Buffer.from(frags[0]!);
    // The in-place edits below must land on the fields the codec reads back.
    const probe = Buffer.from(pdu);
    probe.writeUIntLE(123_456_789, CLIENT_TIME_AT, 6);
    probe.fill(0xab, NONCE_AT, NONCE_AT + NONCE_LENGTH);
    probe.fill(0xcd, CMID_AT, CMID_AT + 16);
    const back = decodeActivationRequest(probe.subarray(REQUEST_HEADER_LENGTH));
    if (back.clientTime !== 123_456_789 || back.nonce.some((b) => b !== 0xab) || !back.cmid.startsWith('cdcdcdcd')) {
      throw new Error('the request layout moved: update NONCE_AT / CLIENT_TIME_AT / CMID_AT');
    }
    return pdu;
  });
}

export class QapLoadConnection {
  readonly #socket: Socket;
  #pending: Buffer | null = null;
  #waiter: ((frag: Buffer | Error) => void) | null = null;
  #failure: Error | null = null;
  #callId = 1;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (e) => this.#fail(e));
    socket.on('close', () => this.#fail(null));
  }

  static open(target: { host: string; port: number }): Promise<QapLoadConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.host, port: target.port, noDelay: true }, () => {
        socket.off('error', reject);
        const conn = new QapLoadConnection(socket);
        conn.#exchange(BIND).then((frag) => {
          const pdu = decodePdu(frag);
          if (pdu.kind !== 'bind_ack' || pdu.results[0]?.result !== ContextResult.acceptance) {
            conn.close();
            reject(new Error(`bind refused (${pdu.kind})`));
          } else resolve(conn);
        }, reject);
      });
      socket.once('error', reject);
    });
  }

  /** One activation: `template` with a fresh nonce, the current time, the next call id and, if `newClient`, a random CMID. */
  async call(template: Buffer, newClient = false): Promise<void> {
    const callId = ++this.#callId;
    const pdu = Buffer.from(template);
    pdu.writeUInt32LE(callId, 12);
    pdu.writeUIntLE(Date.now(), CLIENT_TIME_AT, 6);
    randomFillSync(pdu, NONCE_AT, NONCE_LENGTH);
    if (newClient) randomFillSync(pdu, CMID_AT, 16);
    let frag = await this.#exchange(pdu);
    for (;;) {
      const type = frag[2]!;
      if (type === PduType.fault) throw new Error(`fault ${faultName(frag.readUInt32LE(24))}`);
      if (type !== PduType.response || frag.readUInt32LE(12) !== callId) {
        throw new Error(`unexpected PDU type ${type} for call ${callId}`);
      }
      if (frag[3]! & PfcFlags.lastFrag) return;
      frag = await this.#next();
    }
  }

  close(): void {
    this.#failure ??= new Error('closed');
    this.#socket.destroy();
  }

  #exchange(bytes: Buffer): Promise<Buffer> {
    this.#socket.write(bytes);
    return this.#next();
  }

  #next(): Promise<Buffer> {
    const ready = this.#take();
    if (ready) return Promise.resolve(ready);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiter = (r) => (r instanceof Error ? reject(r) : resolve(r));
    });
  }

  /** The next whole fragment from what has arrived, if any. */
  #take(): Buffer | null {
    const p = this.#pending;
    if (!p || p.length < 16) return null;
    const length = peekFragLength(p);
    if (p.length < length) return null;
    this.#pending = p.length > length ? p.subarray(length) : null;
    return p.subarray(0, length);
  }

  #receive(chunk: Buffer): void {
    this.#pending = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    const w = this.#waiter;
    if (!w) return;
    const frag = this.#take();
    if (!frag) return;
    this.#waiter = null;
    w(frag);
  }

  #fail(e: Error | null): void {
    if (this.#failure) return;
    this.#failure = e ?? new Error('the host closed the connection');
    const w = this.#waiter;
    this.#waiter = null;
    w?.(this.#failure);
  }
}
