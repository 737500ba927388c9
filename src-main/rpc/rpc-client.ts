/**
 * The client side of the wire: connect, bind to the QAP interface, send a call fragmented to the
 * negotiated size, reassemble the answer. Every failure is a QuorumError that names the host and
 * says what to check. Used by the client agent, the simulator and the benchmark.
 */
import { connect, type Socket } from 'node:net';
import { QuorumError } from '../../shared/domain/errors.js';
import { concatBytes } from '../../shared/protocol/bytes.js';
import {
  ContextResult,
  NDR20_SYNTAX,
  PfcFlags,
  decodePdu,
  encodeBind,
  encodeRequest,
  faultName,
  type Pdu,
} from '../../shared/protocol/dcerpc.js';
import { FragmentBuffer } from '../../shared/protocol/fragment-buffer.js';
import { QAP_INTERFACE_UUID, QAP_INTERFACE_VERSION } from '../../shared/protocol/qap-types.js';

export interface RpcTarget {
  host: string;
  port: number;
}

export interface RpcCallOptions {
  /** For the whole call, connect included (default 5000 ms). */
  timeoutMs?: number;
  /** Largest fragment this client sends and accepts (default 5840). */
  maxFragment?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_FRAGMENT = 5_840;
const MAX_RESPONSE_STUB = 65_536;

function where(t: RpcTarget): string {
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

function connectError(target: RpcTarget, e: NodeJS.ErrnoException): QuorumError {
  if (e.code === 'ECONNREFUSED') {
    return new QuorumError(
      'RPC_CONNECT_REFUSED',
      `No Quorum host answers at ${where(target)} (connection refused).`,
      'Check that the host is running (quorum serve), the port (default 1688) and any firewall between.',
    );
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_NONAME' || e.code === 'EAI_AGAIN') {
    const why = e.code === 'EAI_AGAIN' ? 'could not be resolved now (no DNS answer)' : 'does not resolve to an address';
    return new QuorumError(
      'RPC_HOST_NOT_FOUND',
      `The host name ${target.host} ${why}.`,
      "Check its spelling and the machine's DNS settings, or give the address itself (--host 10.0.0.5:1688).",
    );
  }
  return new QuorumError(
    'RPC_CONNECTION_FAILED',
    `The connection to ${where(target)} failed: ${e.code ?? e.message}.`,
    'Check the address and the network path to the host.',
  );
}

/** One bound association; calls run one at a time. */
export class RpcSession {
  readonly target: RpcTarget;
  readonly #socket: Socket;
  readonly #buffer: FragmentBuffer;
  #queue: Pdu[] = [];
  #waiter: ((p: Pdu | QuorumError) => void) | null = null;
  #failure: QuorumError | null = null;
  #callId = 1;
  #maxXmit = DEFAULT_MAX_FRAGMENT;
  #closedHere = false;
  #closedQuietly = false;

  private constructor(target: RpcTarget, socket: Socket, maxFragment: number) {
    this.target = target;
    this.#socket = socket;
    this.#buffer = new FragmentBuffer(maxFragment);
    socket.on('data', (chunk: Buffer) => {
      this.#buffer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      try {
        for (let f = this.#buffer.next(); f; f = this.#buffer.next()) this.#deliver(decodePdu(f));
      } catch (e) {
        this.#fail(
          new QuorumError(
            'RPC_PROTOCOL_ERROR',
            `${where(target)} sent a malformed answer: ${e instanceof Error ? e.message : String(e)}`,
            'Check that this address is a Quorum host and not another service.',
          ),
        );
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => this.#fail(connectError(target, e)));
    socket.on('close', () => {
      // After close() nobody waits: the error is built only if a call is made later (saves a
      // stack trace per connection).
      if (this.#closedHere && !this.#waiter) this.#closedQuietly = true;
      else this.#fail(closedError(target));
    });
  }

  static async open(target: RpcTarget, options: RpcCallOptions = {}): Promise<RpcSession> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxFragment = options.maxFragment ?? DEFAULT_MAX_FRAGMENT;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: target.host, port: target.port, noDelay: true });
      const timer = setTimeout(() => {
        s.destroy();
        reject(timeoutError(target, timeoutMs, 'connecting'));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(connectError(target, e));
      });
    });
    const session = new RpcSession(target, socket, maxFragment);
    try {
      await session.#bind(maxFragment, timeoutMs);
    } catch (e) {
      session.close();
      throw e;
    }
    return session;
  }

  async #bind(maxFragment: number, timeoutMs: number): Promise<void> {
    const callId = this.#callId++;
    this.#socket.write(
      encodeBind(callId, {
        maxXmitFrag: maxFragment,
        maxRecvFrag: maxFragment,
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
    const pdu = await this.#next(timeoutMs, 'binding');
    if (pdu.kind === 'bind_ack' && pdu.results[0]?.result === ContextResult.acceptance) {
      this.#maxXmit = Math.min(pdu.maxRecvFrag, maxFragment);
      this.#buffer.maxFragment = Math.max(pdu.maxXmitFrag, 64);
      return;
    }
    const detail =
      pdu.kind === 'bind_nak'
        ? `bind_nak, reason ${pdu.rejectReason}`
        : pdu.kind === 'bind_ack'
          ? `context rejected, reason ${pdu.results[0]?.reason ?? '?'}`
          : `unexpected ${pdu.kind}`;
    throw new QuorumError(
      'RPC_BIND_REJECTED',
      `${where(this.target)} refused the Quorum activation interface (${detail}).`,
      'Check that this address runs a Quorum host of a compatible version, not another RPC service.',
    );
  }

  async call(opnum: number, stub: Uint8Array, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Uint8Array> {
    const callId = this.#callId++;
    const frags = encodeRequest(callId, 0, opnum, stub, this.#maxXmit);
    this.#socket.write(frags.length === 1 ? frags[0]! : concatBytes(frags));
    const parts: Uint8Array[] = [];
    let length = 0;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pdu = await this.#next(Math.max(1, deadline - Date.now()), 'waiting for the answer');
      if (pdu.kind === 'fault') {
        throw new QuorumError(
          'RPC_FAULT',
          `${where(this.target)} answered with fault ${faultName(pdu.status)}.`,
          'nca_s_server_too_busy: retry later. rpc_x_bad_stub_data: the request was malformed. Others: see docs/protocol.md §3.3, "Answers".',
        );
      }
      if (pdu.kind !== 'response' || pdu.header.callId !== callId) {
        throw new QuorumError(
          'RPC_PROTOCOL_ERROR',
          `${where(this.target)} sent ${pdu.kind} for call ${pdu.header.callId} while call ${callId} was waiting.`,
        );
      }
      length += pdu.stub.byteLength;
      if (length > MAX_RESPONSE_STUB) {
        throw new QuorumError('RPC_PROTOCOL_ERROR', `${where(this.target)} sent an answer above 64 KiB.`);
      }
      parts.push(pdu.stub.slice());
      if (pdu.header.flags & PfcFlags.lastFrag) return parts.length === 1 ? parts[0]! : concatBytes(parts);
    }
  }

  close(): void {
    this.#closedHere = true;
    this.#socket.destroy();
  }

  #deliver(pdu: Pdu): void {
    if (this.#waiter) {
      const w = this.#waiter;
      this.#waiter = null;
      w(pdu);
    } else this.#queue.push(pdu);
  }

  #fail(e: QuorumError): void {
    if (this.#failure) return;
    this.#failure = e;
    this.#socket.destroy();
    const w = this.#waiter;
    this.#waiter = null;
    w?.(e);
  }

  #next(timeoutMs: number, doing: string): Promise<Pdu> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#closedQuietly) this.#fail(closedError(this.target));
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        const e = timeoutError(this.target, timeoutMs, doing);
        this.#fail(e);
        reject(e);
      }, timeoutMs);
      this.#waiter = (p) => {
        clearTimeout(timer);
        if (p instanceof QuorumError) reject(p);
        else resolve(p);
      };
    });
  }
}

function closedError(target: RpcTarget): QuorumError {
  return new QuorumError(
    'RPC_CONNECTION_CLOSED',
    `${where(target)} closed the connection before answering.`,
    'The host may be at its connection limit or shutting down; its log says why.',
  );
}

function timeoutError(target: RpcTarget, ms: number, doing: string): QuorumError {
  return new QuorumError(
    'RPC_TIMEOUT',
    `${where(target)} did not answer within ${ms} ms (${doing}).`,
    'Check that the host is running and reachable; a busy host may need a longer timeout.',
  );
}

export function openRpcSession(target: RpcTarget, options?: RpcCallOptions): Promise<RpcSession> {
  return RpcSession.open(target, options);
}

/** One call on a fresh connection: connect, bind, call, close. */
export async function rpcCall(
  target: RpcTarget,
  opnum: number,
  stub: Uint8Array,
  options: RpcCallOptions = {},
): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  const session = await RpcSession.open(target, options);
  try {
    return await session.call(opnum, stub, Math.max(1, timeoutMs - (Date.now() - started)));
  } finally {
    session.close();
  }
}
