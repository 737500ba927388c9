/**
 * The wire fuzzer: deterministic mutations of valid PDUs and QAP messages, thrown at the codecs
 * and the connection state machine in-process and at a real listener over loopback sockets.
 * Everything is bounded by a count and a deadline. Used by the CI sample (fuzz-sample.test.ts)
 * and the full run (run-full.ts, `npm run fuzz`).
 */
import { seededRandom, type RandomSource } from '../../shared/domain/random.js';
import { connect } from 'node:net';
import { QuorumError } from '../../shared/domain/errors.js';
import {
  FragmentBuffer,
  NDR20_SYNTAX,
  QAP_INTERFACE_UUID,
  concatBytes,
  decodeActivationRequest,
  decodePdu,
  decodeSignedResponse,
  encodeBind,
  encodeFault,
  encodeRequest,
  fromHex,
} from '../../shared/protocol/index.js';
import { DEFAULT_RPC_LIMITS } from '../../src-main/rpc/limits.js';
import { ServerConnection, emptyStats, type ActivateHandler } from '../../src-main/rpc/server-connection.js';

export type Rng = RandomSource;

export const rng = seededRandom;

const int = (r: Rng, n: number): number => Math.floor(r() * n);
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x05, 0x0b, 0x0e, 0x10, 0x7f, 0x80, 0xfe, 0xff];

export function seedCorpus(requestHex: string): { pdus: Uint8Array[]; stubs: Uint8Array[] } {
  const stub = fromHex(requestHex);
  const qap = { uuid: QAP_INTERFACE_UUID, major: 1, minor: 0 };
  const bind = (alter: boolean, n: number) =>
    encodeBind(
      1,
      {
        maxXmitFrag: 5840,
        maxRecvFrag: 5840,
        assocGroupId: 0,
        contexts: Array.from({ length: n }, (_, i) => ({
          contextId: i,
          abstractSyntax: qap,
          transferSyntaxes: [NDR20_SYNTAX],
        })),
      },
      alter,
    );
  return {
    pdus: [
      bind(false, 1),
      bind(false, 3),
      bind(true, 2),
      ...encodeRequest(2, 0, 0, stub, 5840),
      ...encodeRequest(3, 0, 0, stub, 64),
      encodeFault(4, 0, 0x1c010002),
    ],
    stubs: [stub],
  };
}

export function mutate(r: Rng, input: Uint8Array): Uint8Array {
  let b: Uint8Array = input.slice();
  const edits = 1 + int(r, 4);
  for (let e = 0; e < edits; e++) {
    const at = b.byteLength > 0 ? int(r, b.byteLength) : 0;
    switch (int(r, 8)) {
      case 0:
        if (b.byteLength) b[at] = b[at]! ^ (1 << int(r, 8));
        break;
      case 1:
        if (b.byteLength) b[at] = INTERESTING[int(r, INTERESTING.length)]!;
        break;
      case 2:
        if (b.byteLength) b[at] = int(r, 256);
        break;
      case 3:
        b = b.subarray(0, at).slice();
        break;
      case 4: {
        const extra = Uint8Array.from({ length: 1 + int(r, 16) }, () => int(r, 256));
        b = concatBytes([b.subarray(0, at), extra, b.subarray(at)]);
        break;
      }
      case 5:
        b = concatBytes([b.subarray(0, at), b.subarray(Math.min(b.byteLength, at + 1 + int(r, 8)))]);
        break;
      case 6: {
        // Lengths are where parsers die: hit frag_length, auth_length and counts on purpose.
        const spot = [8, 9, 10, 11, 24, 28, 89][int(r, 7)]!;
        if (spot < b.byteLength) b[spot] = INTERESTING[int(r, INTERESTING.length)]!;
        break;
      }
      default:
        b = Uint8Array.from({ length: int(r, 120) }, () => int(r, 256));
    }
  }
  return b;
}

export interface FuzzReport {
  inputs: number;
  failures: string[];
  ms: number;
}

function expectOnlyQuorumErrors(f: () => unknown, failures: string[], what: string): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof QuorumError) && failures.length < 20) failures.push(`${what}: ${String(e)}`);
  }
}

/** A connection state machine with no socket: answers synchronously-resolving calls. */
function inProcessConnection(handler: ActivateHandler): { conn: ServerConnection; written: () => number } {
  let bytes = 0;
  const conn = new ServerConnection(
    { write: (b) => (bytes += b.byteLength), end: () => {}, pause: () => {}, resume: () => {} },
    {
      remoteAddress: '127.0.0.1',
      localPort: 1688,
      assocGroupId: 1,
      limits: { ...DEFAULT_RPC_LIMITS },
      onActivate: handler,
      rateLimiter: null,
      stats: emptyStats(),
      log: () => {},
    },
  );
  return { conn, written: () => bytes };
}

/** Codecs and the connection state machine, in-process. */
export async function fuzzInProcess(
  count: number,
  deadlineMs: number,
  seed: number,
  requestHex: string,
  handler: ActivateHandler,
): Promise<FuzzReport> {
  const started = Date.now();
  const r = rng(seed);
  const { pdus, stubs } = seedCorpus(requestHex);
  const failures: string[] = [];
  let conn = inProcessConnection(handler).conn;
  let i = 0;
  for (; i < count; i++) {
    if ((i & 1023) === 0) {
      if (Date.now() - started > deadlineMs) break;
      // Let the handler promises of the state machine settle now and then.
      await new Promise((res) => setImmediate(res));
    }
    const pick = int(r, 10);
    if (pick < 6) {
      const b = mutate(r, pdus[int(r, pdus.length)]!);
      expectOnlyQuorumErrors(() => decodePdu(b), failures, 'decodePdu');
      expectOnlyQuorumErrors(
        () => {
          const fb = new FragmentBuffer(5840);
          fb.push(b);
          fb.next();
        },
        failures,
        'FragmentBuffer',
      );
    } else if (pick < 8) {
      const b = mutate(r, stubs[int(r, stubs.length)]!);
      expectOnlyQuorumErrors(() => decodeActivationRequest(b), failures, 'decodeActivationRequest');
      expectOnlyQuorumErrors(() => decodeSignedResponse(b), failures, 'decodeSignedResponse');
    } else {
      if (conn.closed || int(r, 20) === 0) {
        conn = inProcessConnection(handler).conn;
        conn.receive(pdus[0]!);
      }
      const b = mutate(r, pdus[int(r, pdus.length)]!);
      try {
        conn.receive(b);
      } catch (e) {
        if (failures.length < 20) failures.push(`ServerConnection.receive threw: ${String(e)}`);
      }
    }
  }
  return { inputs: i, failures, ms: Date.now() - started };
}

/** Mutated PDU streams over real loopback sockets: a valid bind, then mutated PDUs, per connection. */
export async function fuzzSockets(
  target: { host: string; port: number },
  count: number,
  deadlineMs: number,
  seed: number,
  requestHex: string,
  concurrency = 16,
): Promise<FuzzReport> {
  const started = Date.now();
  const r = rng(seed);
  const { pdus } = seedCorpus(requestHex);
  let sent = 0;
  const failures: string[] = [];
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const n = 1 + int(r, 6);
      const parts = [int(r, 4) === 0 ? mutate(r, pdus[0]!) : pdus[0]!];
      for (let k = 1; k < n; k++)
        parts.push(int(r, 4) === 0 ? pdus[int(r, pdus.length)]! : mutate(r, pdus[int(r, pdus.length)]!));
      sent += parts.length;
      const s = connect({ host: target.host, port: target.port });
      const done = (): void => {
        clearTimeout(timer);
        s.destroy();
        resolve();
      };
      const timer = setTimeout(done, 300);
      s.on('error', done);
      s.on('close', done);
      s.on('data', () => {});
      s.on('connect', () => s.end(concatBytes(parts)));
    });
  const worker = async (): Promise<void> => {
    while (sent < count && Date.now() - started < deadlineMs) await one();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { inputs: sent, failures, ms: Date.now() - started };
}
