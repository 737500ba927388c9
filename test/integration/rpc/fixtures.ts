/** Shared by the wire tests: a listener with a real signing handler, and a raw PDU-level client. */
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import {
  NDR20_SYNTAX,
  QAP_INTERFACE_UUID,
  QapStatus,
  decodeActivationRequest,
  decodePdu,
  encodeBind,
  encodeResponseBody,
  encodeSignedResponse,
  FragmentBuffer,
  fromHex,
  type ContextItem,
  type Pdu,
} from '../../../shared/protocol/index.js';
import { hostIdentityFromSeed, type HostIdentity } from '../../../src-main/host/identity.js';
import { startRpcListener, type RpcLimits, type RpcListener } from '../../../src-main/rpc/listener.js';
import type { ActivateHandler } from '../../../src-main/rpc/server-connection.js';

export interface VectorsFile {
  seedHex: string;
  hostPublicKeyHex: string;
  request: { hex: string };
  requestWithSiteToken: { hex: string; macHex: string };
  signedResponseHex: string;
  responseBodyHex: string;
  signatureHex: string;
  siteToken: string;
  pdus: Record<string, string>;
}

export function loadVectors(): VectorsFile {
  return JSON.parse(readFileSync(new URL('../../vectors/qap-vectors.json', import.meta.url), 'utf8')) as VectorsFile;
}

export function vectorIdentity(): HostIdentity {
  return hostIdentityFromSeed(fromHex(loadVectors().seedHex));
}

/** Decodes the request and signs a fixed "granted" answer: the wire tests' stand-in for the engine. */
export function signingHandler(identity: HostIdentity): ActivateHandler {
  return async (stub) => {
    const req = decodeActivationRequest(stub);
    const resp = {
      version: 1,
      status: QapStatus.Ok,
      hostPublicKey: identity.publicKey,
      hostId: identity.hostId,
      cmid: req.cmid,
      nonce: req.nonce,
      clientTime: req.clientTime,
      count: 25,
      threshold: 25,
      granted: true,
      activationIntervalMin: 120,
      renewalIntervalMin: 10_080,
      validityMin: 259_200,
      hostTime: req.clientTime + 1,
    };
    return encodeSignedResponse(resp, identity.sign(encodeResponseBody(resp)));
  };
}

export async function startTestListener(
  limits: Partial<RpcLimits> = {},
  handler: ActivateHandler = signingHandler(vectorIdentity()),
  hosts: string[] = ['127.0.0.1'],
  log?: (line: string) => void,
): Promise<RpcListener> {
  return startRpcListener({
    listen: hosts.map((host) => ({ host, port: 0 })),
    limits,
    onActivate: handler,
    log: log ?? (() => {}),
  });
}

export const QAP_CONTEXT: ContextItem = {
  contextId: 0,
  abstractSyntax: { uuid: QAP_INTERFACE_UUID, major: 1, minor: 0 },
  transferSyntaxes: [NDR20_SYNTAX],
};

export function bindPdu(contexts: ContextItem[] = [QAP_CONTEXT], maxFrag = 5840, callId = 1): Uint8Array {
  return encodeBind(callId, { maxXmitFrag: maxFrag, maxRecvFrag: maxFrag, assocGroupId: 0, contexts });
}

/** A PDU-level client: sends raw bytes, reads whole fragments, notices when the host closes. */
export class RawClient {
  readonly socket: Socket;
  readonly #buffer = new FragmentBuffer(65_535);
  readonly #pdus: Pdu[] = [];
  #wake: (() => void) | null = null;
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (c: Buffer) => {
      this.#buffer.push(new Uint8Array(c));
      for (let f = this.#buffer.next(); f; f = this.#buffer.next()) this.#pdus.push(decodePdu(f));
      this.#wake?.();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.#wake?.();
    });
  }

  /** `localAddress` picks the source address (on Linux any 127.x.y.z reaches a loopback listener). */
  static open(port: number, host = '127.0.0.1', localAddress?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port, noDelay: true, localAddress }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The next PDU, or null if the host closed the connection first. Bounded by `timeoutMs`. */
  async next(timeoutMs = 5_000): Promise<Pdu | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pdus.length === 0 && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no PDU within the time bound');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#wake = () => {
          clearTimeout(t);
          r();
        };
      });
      this.#wake = null;
    }
    return this.#pdus.shift() ?? null;
  }

  /** Resolves true once the host has closed the connection (false if still open after `timeoutMs`). */
  async waitClosed(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
