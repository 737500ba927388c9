/**
 * docs/protocol.md §5.1, one test per row: a real engine, a real SQLite store and the activation
 * handler behind a real listener on loopback; each row's request is sent with the RPC client and
 * the signed response's status, granted flag, count, threshold, validity and intervals are
 * compared with the row's cells. Also §7.1 (a repeated CMID does not count) and §8 (a MAC sent to a
 * host without a site token is ignored).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { BUILTIN_PRODUCTS, ProductCatalog } from '../../../shared/domain/products.js';
import { VALIDITY_MIN } from '../../../shared/domain/timings.js';
import {
  decodeSignedResponse,
  encodeActivationRequest,
  withRequestMac,
  type ActivationRequest,
  type ActivationResponse,
} from '../../../shared/protocol/index.js';
import { Engine } from '../../../src-main/engine/engine.js';
import type { ServingGate } from '../../../src-main/engine/types.js';
import { createActivationHandler } from '../../../src-main/host/activation-handler.js';
import { computeSiteTokenMac, createAdmission, type AdmissionOptions } from '../../../src-main/host/admission.js';
import { loadOrCreateHostIdentity, verifyHostSignature } from '../../../src-main/host/identity.js';
import { startRpcListener, type RpcListener } from '../../../src-main/rpc/listener.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { openStore } from '../../../src-main/store/open-store.js';
import type { SqliteStore } from '../../../src-main/store/sqlite-store.js';
import { activationRequest } from '../../support/activated-host.js';
import { readDoc, tableAfter } from '../../support/protocol-doc.js';

const rows = tableAfter(readDoc('protocol.md'), '### 5.1 Status rules');
/** Not the defaults, so a response carrying the defaults instead of the host's settings fails. */
const INTERVALS = { activationIntervalMin: 90, renewalIntervalMin: 5000 };
const server = BUILTIN_PRODUCTS.find((p) => p.name === 'server')!;

let dir: string;
let store: SqliteStore;
let listener: RpcListener | undefined;
const clock = new VirtualClock(Date.UTC(2026, 0, 15, 9, 30));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quorum-status-rules-'));
  store = openStore({ file: join(dir, 'quorum.db'), clock });
});
afterEach(async () => {
  await listener?.close();
  listener = undefined;
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface HostSetup {
  gate?: ServingGate;
  admission?: Omit<AdmissionOptions, 'clock'>;
}

/** A host on loopback; returns a function that sends one request and returns the verified response. */
async function host(
  setup: HostSetup = {},
): Promise<(req: ActivationRequest, mac?: string) => Promise<ActivationResponse>> {
  const identity = loadOrCreateHostIdentity(dir);
  const engine = new Engine({ clock, catalog: new ProductCatalog(), servingGate: setup.gate, ...INTERVALS });
  const handle = createActivationHandler({
    engine,
    store,
    identity,
    clock,
    admission: setup.admission ? createAdmission({ ...setup.admission, clock }) : undefined,
  });
  listener = await startRpcListener({ listen: [{ host: '127.0.0.1', port: 0 }], onActivate: handle });
  const target = listener.addresses()[0]!;
  return async (req, macToken) => {
    let bytes = encodeActivationRequest(macToken ? { ...req, siteTokenMac: new Uint8Array(32) } : req);
    if (macToken) bytes = withRequestMac(bytes, computeSiteTokenMac(macToken, bytes));
    const signed = decodeSignedResponse(await rpcCall(target, 0, bytes));
    expect(verifyHostSignature(identity.publicKey, signed.signedBytes, signed.signature)).toBe(true);
    expect(signed.response.hostPublicKey).toEqual(identity.publicKey);
    return signed.response;
  };
}

function serverRequest(overrides: Partial<ActivationRequest> = {}): ActivationRequest {
  return activationRequest('server', { clientTime: clock.now(), ...overrides });
}

/** Each scenario returns the response to the row's request, and the count and threshold it expects. */
const scenarios: Record<string, () => Promise<{ response: ActivationResponse; count?: number; threshold?: number }>> = {
  'not-admitted': async () => {
    const send = await host({ admission: { siteToken: 'site-secret' } });
    return { response: await send(serverRequest(), 'wrong-secret') };
  },
  'rate-limited': async () => {
    const send = await host({ admission: { requestsPerAddressPerSecond: 1 } });
    await send(serverRequest());
    // The virtual clock does not move: the bucket stays empty.
    return { response: await send(serverRequest()) };
  },
  'host-not-activated': async () => {
    const send = await host({ gate: { serving: false, reason: 'No host key is activated.' } });
    return { response: await send(serverRequest()) };
  },
  'unknown-product': async () => {
    const send = await host();
    return { response: await send(serverRequest({ productId: randomUUID() })) };
  },
  invalid: async () => {
    const send = await host();
    const desktop = BUILTIN_PRODUCTS.find((p) => p.name === 'desktop')!;
    return { response: await send(serverRequest({ productGroupId: desktop.groupId })) };
  },
  'not-covered': async () => {
    const send = await host({ gate: { serving: true, coverage: { family: 'desktop', maxGeneration: 3 } } });
    return { response: await send(serverRequest()) };
  },
  'below-threshold': async () => {
    const send = await host();
    return { response: await send(serverRequest()), count: 1, threshold: server.threshold };
  },
  granted: async () => {
    const send = await host();
    let response!: ActivationResponse;
    for (let i = 0; i < server.threshold; i++) response = await send(serverRequest());
    return { response, count: server.threshold, threshold: server.threshold };
  },
};

function cellValue(cell: string, symbols: Record<string, number | undefined>): number {
  if (/^\d+$/.test(cell)) return Number(cell);
  const v = symbols[cell];
  if (v === undefined) throw new Error(`the cell "${cell}" names nothing this test knows`);
  return v;
}

describe('docs/protocol.md §5.1: every status rule against a real host', () => {
  it('has a scenario for every row and a row for every scenario', () => {
    expect(rows.map((r) => r.id).sort()).toEqual(Object.keys(scenarios).sort());
  });

  for (const row of rows) {
    it(`${row.id}: ${row.request} -> status ${row.status}`, async () => {
      const scenario = scenarios[row.id!];
      if (!scenario) throw new Error(`no scenario for row "${row.id}"`);
      const { response: r, count, threshold } = await scenario();
      const symbols = { count, threshold, validity: VALIDITY_MIN };
      expect({
        status: r.status,
        granted: r.granted ? 1 : 0,
        count: r.count,
        threshold: r.threshold,
        validityMin: r.validityMin,
      }).toEqual({
        status: cellValue(row.status!, symbols),
        granted: cellValue(row.granted!, symbols),
        count: cellValue(row.count!, symbols),
        threshold: cellValue(row.threshold!, symbols),
        validityMin: cellValue(row.validityMin!, symbols),
      });
      expect(row.intervals).toBe('intervals');
      expect({ activationIntervalMin: r.activationIntervalMin, renewalIntervalMin: r.renewalIntervalMin }).toEqual(
        INTERVALS,
      );
      expect(r.hostTime).toBe(clock.now());
    });
  }
});

describe('docs/protocol.md §7.1 and §8', () => {
  it('a repeated CMID refreshes its place and does not raise the count', async () => {
    const send = await host();
    const cmid = randomUUID();
    expect((await send(serverRequest({ cmid }))).count).toBe(1);
    expect((await send(serverRequest({ cmid }))).count).toBe(1);
    expect((await send(serverRequest())).count).toBe(2);
  });

  it('a previousCmid with flag bit 1 replaces the old CMID instead of adding one', async () => {
    const send = await host();
    const old = randomUUID();
    await send(serverRequest({ cmid: old }));
    expect((await send(serverRequest({ previousCmid: old }))).count).toBe(1);
  });

  it('a host without a site token accepts a request carrying a MAC and ignores it', async () => {
    const send = await host();
    const r = await send(serverRequest(), 'any-token');
    expect(r).toMatchObject({ status: 0, count: 1 });
  });
});
