/**
 * docs/protocol.md §3.3, one test per row: each row's input is sent to a real listener over
 * loopback TCP, and the host's answer and what it does with the connection are compared with the
 * row's "host answer" and "connection" cells. A row without a scenario here, or a scenario without
 * a row, fails, so the table and the host cannot drift apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContextResult,
  FaultStatus,
  NDR20_SYNTAX,
  NULL_SYNTAX,
  PduType,
  ProviderReason,
  PfcFlags,
  concatBytes,
  decodeSignedResponse,
  encodeBind,
  encodeRequestFragment,
  fromHex,
  type ContextItem,
  type Pdu,
} from '../../../shared/protocol/index.js';
import type { ActivateHandler, RpcLimits, RpcListener } from '../../../src-main/rpc/listener.js';
import {
  QAP_CONTEXT,
  RawClient,
  bindPdu,
  loadVectors,
  signingHandler,
  startTestListener,
  vectorIdentity,
} from '../rpc/fixtures.js';
import { readDoc, tableAfter } from '../../support/protocol-doc.js';

const rows = tableAfter(readDoc('protocol.md'), '### 3.3 Answers');
const requestStub = fromHex(loadVectors().request.hex);
const FAIL_MARKER = new TextEncoder().encode('host-failure');

/** The signing handler, except that a stub equal to FAIL_MARKER fails as a broken store would. */
const handler: ActivateHandler = (stub, ctx) => {
  if (stub.byteLength === FAIL_MARKER.byteLength && stub.every((b, i) => b === FAIL_MARKER[i])) {
    return Promise.reject(new Error('the database is unavailable'));
  }
  return signingHandler(vectorIdentity())(stub, ctx);
};

type Expected =
  | { kind: 'none' | 'bind_ack' | 'alter_context_resp' | 'response' }
  | { kind: 'bind_nak'; rejectReason: number }
  | { kind: 'fault'; status: number };

function parseAnswer(cell: string): Expected {
  const nak = /^bind_nak (\d)\b/.exec(cell);
  if (nak) return { kind: 'bind_nak', rejectReason: Number(nak[1]) };
  const fault = /^fault `[a-z_]+` (0x[0-9a-f]{8})$/.exec(cell);
  if (fault) return { kind: 'fault', status: Number(fault[1]) };
  if (['none', 'bind_ack', 'alter_context_resp', 'response'].includes(cell)) return { kind: cell } as Expected;
  throw new Error(`unreadable "host answer" cell: ${cell}`);
}

interface Run {
  client: RawClient;
  /** Whether the connection is bound after the input, so the runner probes it with alter_context, else bind. */
  bound: boolean;
  /** Extra checks on the answer (call ids, later PDUs). */
  check?: (answer: Pdu | null) => Promise<void> | void;
}

interface Scenario {
  limits?: Partial<RpcLimits>;
  /** Each run is one connection; a row that says "before or after bind" has one run for each. */
  run: (open: () => Promise<RawClient>) => Promise<Run[]>;
}

const WHOLE = PfcFlags.firstFrag | PfcFlags.lastFrag;

function header(type: number, flags: number, fragLength: number, callId: number, drep = [0x10, 0, 0, 0]): Uint8Array {
  const h = new Uint8Array(16);
  h.set([5, 0, type, flags, ...drep]);
  const v = new DataView(h.buffer);
  v.setUint16(8, fragLength, true);
  v.setUint32(12, callId, drep[0] === 0x10);
  return h;
}

function request(callId: number, stub = requestStub, f: { flags?: number; contextId?: number; opnum?: number } = {}) {
  return encodeRequestFragment({
    callId,
    flags: f.flags ?? WHOLE,
    allocHint: stub.byteLength,
    contextId: f.contextId ?? 0,
    opnum: f.opnum ?? 0,
    stub,
  });
}

/** The PDU with an 8-byte security trailer and `n` auth bytes appended, and auth_length set. */
function withAuth(pdu: Uint8Array, n = 16): Uint8Array {
  const out = concatBytes([pdu, new Uint8Array(8 + n)]);
  const v = new DataView(out.buffer);
  v.setUint16(8, out.byteLength, true);
  v.setUint16(10, n, true);
  return out;
}

function alter(callId: number, contexts: ContextItem[] = [QAP_CONTEXT]): Uint8Array {
  return encodeBind(callId, { maxXmitFrag: 5840, maxRecvFrag: 5840, assocGroupId: 0, contexts }, true);
}

async function bound(open: () => Promise<RawClient>): Promise<RawClient> {
  const c = await open();
  c.send(bindPdu());
  expect((await c.next())?.kind).toBe('bind_ack');
  return c;
}

async function expectResponse(c: RawClient, callId: number): Promise<void> {
  const p = await c.next();
  expect(p).toMatchObject({ kind: 'response', header: { callId } });
  if (p?.kind === 'response') expect(decodeSignedResponse(p.stub).response.status).toBe(0);
}

/** A scenario that sends `pdu` as the first PDU of a new connection; `endsBound` when it is a bind the host accepts. */
function fresh(pdu: () => Uint8Array, endsBound = false): Scenario {
  return {
    async run(open) {
      const c = await open();
      c.send(pdu());
      return [{ client: c, bound: endsBound }];
    },
  };
}

/** A scenario that sends `pdu` on a bound connection. */
function afterBind(pdu: () => Uint8Array, check?: Run['check']): Scenario {
  return {
    async run(open) {
      const c = await bound(open);
      c.send(pdu());
      return [{ client: c, bound: true, check }];
    },
  };
}

/** A second call after a first one answered, on a listener with `limits`. */
function secondCall(limits: Partial<RpcLimits>): Scenario {
  return {
    limits,
    async run(open) {
      const c = await bound(open);
      c.send(request(2));
      await expectResponse(c, 2);
      c.send(request(3));
      return [{ client: c, bound: true }];
    },
  };
}

/** The PDU with one byte changed. */
function patched(pdu: Uint8Array, at: number, value: number): Uint8Array {
  pdu[at] = value;
  return pdu;
}

const scenarios: Record<string, Scenario> = {
  drep: {
    async run(open) {
      // Drep 00 00 00 00 (big-endian) with frag_length still written little-endian: the host must
      // answer from the header, with the call_id read big-endian.
      const early = await open();
      const bind = bindPdu([QAP_CONTEXT], 5840, 0);
      bind.set([0, 0, 0, 0], 4);
      bind.set([0, 0, 0, 7], 12);
      early.send(bind);
      const late = await bound(open);
      const req = request(0);
      req.set([0, 0, 0, 0], 4);
      req.set([0, 0, 0, 9], 12);
      late.send(req);
      return [
        { client: early, bound: false, check: (p) => expect(p?.header.callId).toBe(7) },
        { client: late, bound: true, check: (p) => expect(p?.header.callId).toBe(9) },
      ];
    },
  },
  'vers-bind': fresh(() => patched(bindPdu(), 1, 2)),
  'vers-request': {
    async run(open) {
      const early = await open();
      const late = await bound(open);
      for (const c of [early, late]) {
        const req = request(3);
        req[1] = 2;
        c.send(req);
      }
      return [
        { client: early, bound: false },
        { client: late, bound: true, check: (p) => expect(p?.header.callId).toBe(3) },
      ];
    },
  },
  'vers-other': afterBind(() => patched(alter(2), 0, 4)),
  'vers-minor-1': fresh(() => patched(bindPdu(), 1, 1), true),
  bind: fresh(() => bindPdu(), true),
  'bind-versions': {
    async run(open) {
      const c = await open();
      const qap = (major: number, minor: number, contextId: number): ContextItem => ({
        ...QAP_CONTEXT,
        contextId,
        abstractSyntax: { ...QAP_CONTEXT.abstractSyntax, major, minor },
      });
      c.send(bindPdu([qap(1, 1, 0), qap(2, 0, 1), qap(1, 0, 2)]));
      const rejected = { result: ContextResult.providerRejection, reason: ProviderReason.abstractSyntaxNotSupported };
      return [
        {
          client: c,
          bound: true,
          check: async (p) => {
            expect(p).toMatchObject({ results: [rejected, rejected, { result: ContextResult.acceptance }] });
            // The v1 layout on the accepted context works; the rejected ones are refused.
            c.send(request(2, requestStub, { contextId: 2 }));
            await expectResponse(c, 2);
            c.send(request(3, requestStub, { contextId: 0 }));
            expect(await c.next()).toMatchObject({ kind: 'fault', status: FaultStatus.invalidPresContextId });
          },
        },
      ];
    },
  },
  'bind-syntax-items': {
    async run(open) {
      const c = await open();
      const ndr64 = { uuid: '71710533-beba-4937-8319-b5dbef9ccc36', major: 1, minor: 0 };
      const btfn = { uuid: '6cb71c2c-9812-4540-0300-000000000000', major: 1, minor: 0 };
      c.send(
        bindPdu([
          QAP_CONTEXT,
          { ...QAP_CONTEXT, contextId: 1, transferSyntaxes: [ndr64] },
          { ...QAP_CONTEXT, contextId: 2, transferSyntaxes: [btfn] },
        ]),
      );
      const rejected = {
        result: ContextResult.providerRejection,
        reason: ProviderReason.proposedTransferSyntaxesNotSupported,
        transferSyntax: NULL_SYNTAX,
      };
      return [
        {
          client: c,
          bound: true,
          check: (p) =>
            expect(p).toMatchObject({
              results: [
                { result: ContextResult.acceptance, reason: 0, transferSyntax: NDR20_SYNTAX },
                rejected,
                rejected,
              ],
            }),
        },
      ];
    },
  },
  'bind-auth': fresh(() => withAuth(bindPdu())),
  'bind-tiny': fresh(() => bindPdu([QAP_CONTEXT], 32)),
  'bind-items': fresh(() => bindPdu(Array.from({ length: 17 }, (_, i) => ({ ...QAP_CONTEXT, contextId: i })))),
  'bind-syntaxes': fresh(() => bindPdu([{ ...QAP_CONTEXT, transferSyntaxes: Array(9).fill(NDR20_SYNTAX) }])),
  // n_context_elem 2, one item present
  'bind-malformed': fresh(() => patched(bindPdu(), 24, 2)),
  'bind-second': afterBind(() => bindPdu([QAP_CONTEXT], 5840, 2)),
  alter: {
    async run(open) {
      const c = await bound(open);
      c.send(alter(2, [{ ...QAP_CONTEXT, contextId: 1 }]));
      return [
        {
          client: c,
          bound: true,
          check: (p) => expect(p).toMatchObject({ secondaryAddress: '', maxXmitFrag: 5840, results: [{ result: 0 }] }),
        },
      ];
    },
  },
  'alter-early': fresh(() => alter(1)),
  'alter-auth': afterBind(() => withAuth(alter(2))),
  'alter-malformed': afterBind(() => patched(alter(2), 24, 2)),
  request: afterBind(() => request(2)),
  'request-early': fresh(() => request(1)),
  'request-malformed': {
    async run(open) {
      const c = await bound(open);
      const pdu = request(4).subarray(0, 20).slice();
      pdu[8] = 20; // frag_length 20: shorter than a request header
      c.send(pdu);
      return [{ client: c, bound: true, check: (p) => expect(p?.header.callId).toBe(4) }];
    },
  },
  'request-context': afterBind(() => request(2, requestStub, { contextId: 5 })),
  'request-opnum': afterBind(() => request(2, requestStub, { opnum: 1 })),
  'request-stub': {
    async run(open) {
      // Garbage, and (§4) a previousCmid that is not zeros while flag bit 1 is clear.
      const garbage = await bound(open);
      garbage.send(request(2, new Uint8Array(40)));
      const stray = requestStub.slice();
      stray[24] = 1;
      const prev = await bound(open);
      prev.send(request(2, stray));
      return [
        { client: garbage, bound: true },
        { client: prev, bound: true },
      ];
    },
  },
  'request-auth': afterBind(() => withAuth(request(2))),
  'request-rate': secondCall({ requestsPerAddressPerSecond: 1 }),
  'request-calls': secondCall({ maxCallsPerConnection: 1 }),
  continuation: afterBind(
    () => request(8, requestStub, { flags: PfcFlags.lastFrag }),
    (p) => expect(p?.header.callId).toBe(8),
  ),
  interleaved: {
    async run(open) {
      const c = await bound(open);
      c.send(request(10, requestStub.subarray(0, 16), { flags: PfcFlags.firstFrag }));
      c.send(request(11, requestStub.subarray(0, 16), { flags: PfcFlags.firstFrag }));
      return [{ client: c, bound: true, check: (p) => expect(p?.header.callId).toBe(10) }];
    },
  },
  'stub-limit': {
    async run(open) {
      const c = await bound(open);
      const part = new Uint8Array(4096);
      for (let i = 0; i < 4; i++) c.send(request(12, part, { flags: i === 0 ? PfcFlags.firstFrag : 0 }));
      c.send(request(12, new Uint8Array(8), { flags: PfcFlags.lastFrag }));
      return [{ client: c, bound: true }];
    },
  },
  unaligned: {
    async run(open) {
      const c = await bound(open);
      c.send(request(13, requestStub.subarray(0, 13), { flags: PfcFlags.firstFrag }));
      c.send(request(13, requestStub.subarray(13), { flags: PfcFlags.lastFrag }));
      return [
        {
          client: c,
          bound: true,
          check: (p) => {
            expect(p?.header.callId).toBe(13);
            if (p?.kind === 'response') expect(decodeSignedResponse(p.stub).response.status).toBe(0);
          },
        },
      ];
    },
  },
  pipelined: {
    async run(open) {
      const c = await bound(open);
      c.send(concatBytes([request(20), request(21)]));
      return [
        {
          client: c,
          bound: true,
          check: async (p) => {
            expect(p?.header.callId).toBe(20);
            await expectResponse(c, 21);
          },
        },
      ];
    },
  },
  'frag-short': fresh(() => header(PduType.bind, WHOLE, 10, 1)),
  'frag-long': fresh(() => header(PduType.bind, WHOLE, 6000, 1)),
  ptype: {
    async run(open) {
      const runs: Run[] = [];
      for (const type of [PduType.response, PduType.fault, PduType.bindAck, PduType.shutdown, 30]) {
        const c = await bound(open);
        const pdu = request(2);
        pdu[2] = type;
        c.send(pdu);
        runs.push({ client: c, bound: true });
      }
      return runs;
    },
  },
  ignored: {
    async run(open) {
      const pdus = [
        header(PduType.coCancel, WHOLE, 16, 1),
        concatBytes([header(PduType.auth3, WHOLE, 20, 1), new Uint8Array(4)]),
        header(PduType.orphaned, WHOLE, 16, 1),
      ];
      const early = await open();
      const late = await bound(open);
      for (const c of [early, late]) for (const p of pdus) c.send(p);
      return [
        { client: early, bound: false },
        { client: late, bound: true },
      ];
    },
  },
  orphaned: {
    async run(open) {
      const c = await bound(open);
      c.send(request(30, requestStub.subarray(0, 16), { flags: PfcFlags.firstFrag }));
      c.send(header(PduType.orphaned, WHOLE, 16, 30));
      // Without the discard, this first fragment would interleave with call 30.
      c.send(request(31));
      await expectResponse(c, 31);
      return [{ client: c, bound: true }];
    },
  },
  'host-failure': afterBind(() => request(2, FAIL_MARKER)),
};

const listeners = new Map<string, RpcListener>();
const clients: RawClient[] = [];

async function listenerFor(limits: Partial<RpcLimits> = {}): Promise<RpcListener> {
  const key = JSON.stringify(limits);
  let l = listeners.get(key);
  if (!l) {
    l = await startTestListener(limits, handler);
    listeners.set(key, l);
  }
  return l;
}

beforeAll(async () => {
  await listenerFor();
});
afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const l of listeners.values()) await l.close();
});

/** "kept": the connection still answers; the probe's answer must be the next PDU, so nothing else was sent. */
async function probe(c: RawClient, isBound: boolean): Promise<void> {
  c.send(isBound ? alter(99) : bindPdu([QAP_CONTEXT], 5840, 99));
  expect(await c.next()).toMatchObject({
    kind: isBound ? 'alter_context_resp' : 'bind_ack',
    header: { callId: 99 },
  });
  expect(c.closed).toBe(false);
}

describe('docs/protocol.md §3.3: every row against a real listener', () => {
  it('has a scenario for every row and a row for every scenario', () => {
    expect(rows.map((r) => r.id).sort()).toEqual(Object.keys(scenarios).sort());
  });

  for (const row of rows) {
    it(`${row.id}: ${row.input} -> ${row['host answer']}, ${row.connection}`, async () => {
      const scenario = scenarios[row.id!];
      if (!scenario) throw new Error(`no scenario for row "${row.id}"`);
      const expected = parseAnswer(row['host answer']!);
      expect(['closed', 'kept']).toContain(row.connection);
      const listener = await listenerFor(scenario.limits);
      const open = async () => {
        const c = await RawClient.open(listener.addresses()[0]!.port);
        clients.push(c);
        return c;
      };
      for (const run of await scenario.run(open)) {
        const answer = expected.kind === 'none' ? null : await run.client.next();
        if (answer) expect(answer).toMatchObject(expected);
        else expect(expected.kind).toBe('none');
        await run.check?.(answer);
        if (row.connection === 'closed') {
          expect(await run.client.next()).toBeNull();
          expect(run.client.closed).toBe(true);
        } else {
          await probe(run.client, run.bound);
        }
      }
    });
  }
});
