/**
 * One DCE/RPC association, server side: the per-connection state machine of docs/protocol.md
 * ("Connection state machine"). It knows nothing of sockets: bytes come in through `receive`, go
 * out through the transport, so the fuzzers drive the very same code in-process.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import {
  BindNakReason,
  ContextResult,
  FaultStatus,
  MIN_FRAGMENT,
  NDR20_SYNTAX,
  NULL_SYNTAX,
  PduType,
  bindNakReasonFor,
  peekCallId,
  ProviderReason,
  PfcFlags,
  decodePdu,
  encodeBindAck,
  encodeBindNak,
  encodeFault,
  encodeResponse,
  type ContextItem,
  type ContextResultItem,
  type Pdu,
} from '../../shared/protocol/dcerpc.js';
import { FragmentBuffer } from '../../shared/protocol/fragment-buffer.js';
import { concatBytes } from '../../shared/protocol/bytes.js';
import { QAP_INTERFACE_UUID, QAP_INTERFACE_VERSION, QAP_OPNUM_ACTIVATE } from '../../shared/protocol/qap-types.js';
import type { RpcLimits } from './limits.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RpcStats } from './rpc-stats.js';

export { emptyStats, type RpcStats } from './rpc-stats.js';

export interface ConnectionTransport {
  write(bytes: Uint8Array): void;
  /** Flushes what was written, then closes. */
  end(): void;
  /** Stops reading: called only when bytes arrive while a call is running. */
  pause(): void;
  /** Called after every call; resumes reading if it was paused. */
  resume(): void;
  /**
   * True while the transport wants no more calls processed: its replies are not being read, or
   * the peer is paused for its rate. The transport calls flush() when that ends.
   */
  readonly holding?: boolean;
  /** Stops reading for `ms` (the peer went over its address's rate), then flushes. */
  hold?(ms: number): void;
  /** A bind was accepted or a call answered: the connection is making progress. */
  progressed?(): void;
}

export type ActivateHandler = (stub: Uint8Array, ctx: { remoteAddress: string }) => Promise<Uint8Array>;

export interface ConnectionContext {
  remoteAddress: string;
  localPort: number;
  assocGroupId: number;
  limits: RpcLimits;
  onActivate: ActivateHandler;
  rateLimiter: RateLimiter | null;
  stats: RpcStats;
  log: (line: string) => void;
}

interface PendingCall {
  callId: number;
  contextId: number;
  opnum: number;
  parts: Uint8Array[];
  length: number;
}

type State = 'awaiting-bind' | 'bound' | 'closed';

/** Bytes the host buffers beyond one fragment while a call runs (a socket may deliver one more chunk after pause). */
const SLACK_BYTES = 65_536;

export class ServerConnection {
  readonly #t: ConnectionTransport;
  readonly #c: ConnectionContext;
  readonly #buffer: FragmentBuffer;
  #state: State = 'awaiting-bind';
  #accepted = new Set<number>();
  #maxXmit: number;
  #pending: PendingCall | null = null;
  #busy = false;
  #paused = false;
  #calls = 0;
  #logged = false;
  #onClose: (() => void) | null = null;

  constructor(transport: ConnectionTransport, context: ConnectionContext) {
    this.#t = transport;
    this.#c = context;
    this.#buffer = new FragmentBuffer(context.limits.maxFragment);
    this.#maxXmit = context.limits.maxFragment;
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** True when nothing is half-received and no call is running: the connection may be evicted or idle-timed. */
  get idle(): boolean {
    return !this.#busy && this.#pending === null && this.#buffer.buffered === 0;
  }

  /** True while a started fragment or fragmented call waits for more bytes (the read timeout applies). */
  get midMessage(): boolean {
    return !this.#busy && (this.#pending !== null || this.#buffer.buffered > 0);
  }

  /** Request bytes received and not yet processed. */
  get bufferedBytes(): number {
    return this.#buffer.buffered;
  }

  /** Processes what is buffered, after the transport stopped holding. */
  flush(): void {
    if (this.#state !== 'closed' && !this.#busy) this.#drain();
  }

  /**
   * A fault in the host's own code while serving this connection: counted, logged, and the
   * connection closed, so that one bad moment costs one connection and never the listener.
   */
  fail(e: unknown): void {
    this.#c.stats.internalErrors++;
    this.#logged = false;
    this.#logOnce(`internal error, connection closed: ${e instanceof Error ? e.message : String(e)}`);
    if (this.#state !== 'closed') this.close();
  }

  set onClose(fn: () => void) {
    this.#onClose = fn;
  }

  receive(chunk: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#buffer.push(chunk);
    if (this.#buffer.buffered > this.#c.limits.maxFragment + SLACK_BYTES) {
      this.#protocolError('sent far more than one fragment while a call was running');
      return;
    }
    if (this.#busy) {
      // A client sends its next call after the answer; one that does not is read no further until then.
      // Pausing only here, not around every call, saves two syscalls per call.
      if (!this.#paused) {
        this.#paused = true;
        this.#t.pause();
      }
      return;
    }
    this.#drain();
  }

  /** Closes quietly (timeouts, eviction, listener shutdown). */
  close(reason?: string): void {
    if (this.#state === 'closed') return;
    if (reason) this.#logOnce(reason);
    this.#state = 'closed';
    this.#t.end();
    this.#onClose?.();
  }

  #logOnce(line: string): void {
    if (this.#logged) return;
    this.#logged = true;
    this.#c.log(`rpc ${this.#c.remoteAddress}: ${line}`);
  }

  #drain(): void {
    while (this.#state !== 'closed' && !this.#busy && !this.#t.holding) {
      let frag: Uint8Array | null;
      try {
        frag = this.#buffer.next();
      } catch (e) {
        this.#protocolError(e instanceof QuorumError ? e.message : 'unreadable fragment');
        return;
      }
      if (!frag) return;
      this.#handleFragment(frag);
    }
  }

  #send(bytes: Uint8Array): void {
    if (this.#state !== 'closed') this.#t.write(bytes);
  }

  #fault(callId: number, contextId: number, status: number, closeAfter: boolean, why: string): void {
    this.#c.stats.faults++;
    this.#send(encodeFault(callId, contextId, status));
    if (closeAfter) {
      this.#c.stats.protocolErrors++;
      this.close(why);
    }
  }

  #protocolError(why: string): void {
    this.#charge();
    this.#c.stats.protocolErrors++;
    this.close(why);
  }

  #nak(callId: number, reason: number, why: string): void {
    this.#charge();
    this.#c.stats.bindNaks++;
    this.#send(encodeBindNak(callId, reason));
    this.close(why);
  }

  #handleFragment(frag: Uint8Array): void {
    let pdu: Pdu;
    try {
      pdu = decodePdu(frag);
    } catch (e) {
      this.#refuseUndecodable(frag, e);
      return;
    }
    switch (pdu.kind) {
      case 'bind':
      case 'alter_context':
        this.#handleBind(pdu);
        return;
      case 'request':
        this.#handleRequest(pdu);
        return;
      case 'other':
        if (pdu.header.type === PduType.orphaned) {
          if (this.#pending?.callId === pdu.header.callId) this.#pending = null;
          return;
        }
        if (pdu.header.type === PduType.coCancel || pdu.header.type === PduType.auth3) return;
        this.#protocolError(`sent PDU type ${pdu.header.type}, which a client never sends`);
        return;
      default:
        this.#protocolError(`sent a ${pdu.kind}, which a client never sends`);
    }
  }

  #refuseUndecodable(frag: Uint8Array, e: unknown): void {
    const code = e instanceof QuorumError ? e.code : 'PROTOCOL_MALFORMED_PDU';
    const why = e instanceof QuorumError ? e.message : 'unreadable PDU';
    const type = frag[2];
    const callId = peekCallId(frag);
    if (code === 'PROTOCOL_UNSUPPORTED_DREP') {
      this.#fault(callId, 0, FaultStatus.unsupportedType, true, why);
    } else if (type === PduType.bind) {
      this.#nak(callId, bindNakReasonFor(code), why);
    } else if (type === PduType.request) {
      this.#fault(callId, 0, FaultStatus.protoError, true, why);
    } else {
      this.#protocolError(why);
    }
  }

  #evaluateContext(item: ContextItem): ContextResultItem {
    const reject = (reason: number): ContextResultItem => ({
      result: ContextResult.providerRejection,
      reason,
      transferSyntax: NULL_SYNTAX,
    });
    const a = item.abstractSyntax;
    if (
      a.uuid !== QAP_INTERFACE_UUID ||
      a.major !== QAP_INTERFACE_VERSION.major ||
      a.minor > QAP_INTERFACE_VERSION.minor
    ) {
      return reject(ProviderReason.abstractSyntaxNotSupported);
    }
    const ndr = item.transferSyntaxes.some(
      (t) => t.uuid === NDR20_SYNTAX.uuid && t.major === NDR20_SYNTAX.major && t.minor === NDR20_SYNTAX.minor,
    );
    if (!ndr) return reject(ProviderReason.proposedTransferSyntaxesNotSupported);
    this.#accepted.add(item.contextId);
    return { result: ContextResult.acceptance, reason: 0, transferSyntax: NDR20_SYNTAX };
  }

  #handleBind(pdu: Extract<Pdu, { kind: 'bind' | 'alter_context' }>): void {
    const callId = pdu.header.callId;
    const alter = pdu.kind === 'alter_context';
    if (!alter && this.#state !== 'awaiting-bind') {
      this.#nak(callId, BindNakReason.notSpecified, 'sent a second bind on one connection');
      return;
    }
    if (alter && this.#state !== 'bound') {
      this.#protocolError('sent alter_context before bind');
      return;
    }
    if (pdu.header.authLength > 0) {
      if (alter) this.#protocolError('asked for authentication, which QAP does not use');
      else this.#nak(callId, BindNakReason.notSpecified, 'asked for authentication, which QAP does not use');
      return;
    }
    if (!alter) {
      if (pdu.maxXmitFrag < MIN_FRAGMENT || pdu.maxRecvFrag < MIN_FRAGMENT) {
        this.#nak(callId, BindNakReason.localLimitExceeded, `offered fragments below ${MIN_FRAGMENT} bytes`);
        return;
      }
      // Each side sends no more than the other can receive (C706 12.6.3.1).
      this.#maxXmit = Math.min(pdu.maxRecvFrag, this.#c.limits.maxFragment);
      this.#buffer.maxFragment = Math.min(pdu.maxXmitFrag, this.#c.limits.maxFragment);
      this.#state = 'bound';
      this.#c.stats.binds++;
      this.#t.progressed?.();
    }
    const results = pdu.contexts.map((item) => this.#evaluateContext(item));
    this.#send(
      encodeBindAck(
        callId,
        {
          maxXmitFrag: this.#maxXmit,
          maxRecvFrag: this.#buffer.maxFragment,
          assocGroupId: this.#c.assocGroupId,
          secondaryAddress: alter ? '' : String(this.#c.localPort),
          results,
        },
        alter,
      ),
    );
  }

  #handleRequest(pdu: Extract<Pdu, { kind: 'request' }>): void {
    const { callId, flags } = pdu.header;
    if (this.#state !== 'bound') {
      this.#fault(callId, pdu.contextId, FaultStatus.protoError, true, 'sent a request before bind');
      return;
    }
    if (pdu.header.authLength > 0) {
      this.#fault(callId, pdu.contextId, FaultStatus.unsupportedAuthnLevel, true, 'sent an authenticated request');
      return;
    }
    if (flags & PfcFlags.firstFrag) {
      if (this.#pending) {
        this.#fault(
          this.#pending.callId,
          this.#pending.contextId,
          FaultStatus.protoError,
          true,
          'interleaved two calls',
        );
        return;
      }
      this.#pending = { callId, contextId: pdu.contextId, opnum: pdu.opnum, parts: [], length: 0 };
    } else if (!this.#pending || this.#pending.callId !== callId) {
      this.#fault(callId, pdu.contextId, FaultStatus.protoError, true, 'sent a continuation fragment of no call');
      return;
    }
    const call = this.#pending!;
    call.length += pdu.stub.byteLength;
    if (call.length > this.#c.limits.maxStubBytes) {
      this.#fault(
        callId,
        call.contextId,
        FaultStatus.protoError,
        true,
        `sent a call above ${this.#c.limits.maxStubBytes} bytes`,
      );
      return;
    }
    call.parts.push(pdu.stub.slice());
    if (!(flags & PfcFlags.lastFrag)) return;
    this.#pending = null;
    this.#dispatch(call);
  }

  #dispatch(call: PendingCall): void {
    const { callId, contextId } = call;
    this.#c.stats.calls++;
    // One rate for every call, whatever its opnum or context: a flood of calls that would only be
    // faulted costs the host as much as one of activations.
    if (!this.#charge()) {
      this.#c.stats.rateLimited++;
      this.#fault(callId, contextId, FaultStatus.serverTooBusy, false, 'is over its request rate');
      this.#t.hold?.(this.#c.limits.rateLimitPauseMs);
      return;
    }
    if (++this.#calls > this.#c.limits.maxCallsPerConnection) {
      this.#fault(callId, contextId, FaultStatus.serverTooBusy, true, 'reached the calls-per-connection limit');
      return;
    }
    if (!this.#accepted.has(contextId)) {
      this.#fault(
        callId,
        contextId,
        FaultStatus.invalidPresContextId,
        false,
        'called on a context that was not accepted',
      );
      return;
    }
    if (call.opnum !== QAP_OPNUM_ACTIVATE) {
      this.#fault(callId, contextId, FaultStatus.opRangeError, false, `called opnum ${call.opnum}`);
      return;
    }
    const stub = call.parts.length === 1 ? call.parts[0]! : concatBytes(call.parts);
    this.#busy = true;
    let work: Promise<Uint8Array>;
    try {
      work = this.#c.onActivate(stub, { remoteAddress: this.#c.remoteAddress });
    } catch (e) {
      work = Promise.reject(e);
    }
    work
      .then(
        (reply) => this.#finishCall(callId, contextId, reply),
        (e: unknown) => this.#failCall(callId, contextId, e),
      )
      .catch((e: unknown) => this.fail(e));
  }

  /** Takes one token of the address's rate; false when the address is over it. */
  #charge(): boolean {
    return this.#c.rateLimiter === null || this.#c.rateLimiter.take(this.#c.remoteAddress);
  }

  #finishCall(callId: number, contextId: number, reply: Uint8Array): void {
    this.#busy = false;
    if (this.#state === 'closed') return;
    const frags = encodeResponse(callId, contextId, reply, this.#maxXmit);
    this.#c.stats.responses++;
    this.#send(frags.length === 1 ? frags[0]! : concatBytes(frags));
    this.#t.progressed?.();
    this.#resume();
  }

  #resume(): void {
    this.#paused = false;
    // What is buffered first: the transport reads on only if little is left.
    this.#drain();
    this.#t.resume();
  }

  #failCall(callId: number, contextId: number, e: unknown): void {
    this.#busy = false;
    if (this.#state === 'closed') return;
    const code = e instanceof QuorumError ? e.code : '';
    const status = code.startsWith('PROTOCOL_') ? FaultStatus.badStubData : FaultStatus.faultUnspec;
    this.#logOnce(`call failed: ${e instanceof Error ? e.message : String(e)}`);
    this.#fault(callId, contextId, status, false, '');
    this.#resume();
  }
}
