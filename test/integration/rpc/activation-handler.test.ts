import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/clock.js';
import { ProductCatalog } from '../../../shared/domain/products.js';
import {
  QapStatus,
  decodeSignedResponse,
  encodeActivationRequest,
  withRequestMac,
  type ActivationRequest,
} from '../../../shared/protocol/index.js';
import { vectorRequest } from '../../../scripts/gen-protocol-vectors.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { createActivationHandler, type ActivationHandler } from '../../../src-main/host/activation-handler.js';
import { computeSiteTokenMac, createAdmission, type AdmissionOptions } from '../../../src-main/host/admission.js';
import {
  HOST_IDENTITY_FILE,
  loadOrCreateHostIdentity,
  verifyHostSignature,
  type HostIdentity,
} from '../../../src-main/host/identity.js';
import { openStore } from '../../../src-main/store/open-store.js';
import type { SqliteStore } from '../../../src-main/store/sqlite-store.js';

let dir: string;
let store: SqliteStore;
let clock: VirtualClock;
let identity: HostIdentity;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quorum-handler-'));
  clock = new VirtualClock(Date.UTC(2026, 0, 15, 9, 30));
  store = openStore({ file: join(dir, 'quorum.db'), clock });
  identity = loadOrCreateHostIdentity(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function handler(admission?: Omit<AdmissionOptions, 'clock'>): { handle: ActivationHandler; engine: Engine } {
  const engine = new Engine({ clock, catalog: new ProductCatalog() });
  const handle = createActivationHandler({
    engine,
    store,
    identity,
    clock,
    admission: admission ? createAdmission({ ...admission, clock }) : undefined,
  });
  return { handle, engine };
}

async function activate(handle: ActivationHandler, bytes: Uint8Array, remoteAddress = '127.0.0.1') {
  const signed = decodeSignedResponse(await handle(bytes, { remoteAddress }));
  expect(verifyHostSignature(identity.publicKey, signed.signedBytes, signed.signature)).toBe(true);
  return signed.response;
}

function request(overrides: Partial<ActivationRequest> = {}): ActivationRequest {
  return { ...vectorRequest(), ...overrides };
}

describe('host identity', () => {
  it('is created once with mode 0600 and reused afterwards', () => {
    const file = join(dir, HOST_IDENTITY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateHostIdentity(dir);
    expect(again.fingerprint).toBe(identity.fingerprint);
    expect(identity.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(identity.hostId).toMatch(/^QH-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(identity.fingerprintShort).toBe(identity.fingerprint.slice(0, 32).match(/.{4}/g)!.join('-'));
  });

  it('a damaged key file is a specific error and is left untouched', () => {
    const file = join(dir, HOST_IDENTITY_FILE);
    writeFileSync(file, 'not a key');
    chmodSync(file, 0o600);
    expect(() => loadOrCreateHostIdentity(dir)).toThrow(expect.objectContaining({ code: 'HOST_IDENTITY_DAMAGED' }));
    expect(readFileSync(file, 'utf8')).toBe('not a key');
  });
});

describe('activation handler (real engine, real SQLite store)', () => {
  it('answers a signed response echoing nonce and client time, after the record is committed', async () => {
    const { handle } = handler();
    const resp = await activate(handle, encodeActivationRequest(request()));
    expect(resp).toMatchObject({
      status: QapStatus.Ok,
      cmid: vectorRequest().cmid,
      clientTime: vectorRequest().clientTime,
    });
    expect(resp.nonce).toEqual(vectorRequest().nonce);
    expect(resp.count).toBe(1);
    expect(resp.threshold).toBe(25);
    expect(resp.hostId).toBe(identity.hostId);
    const rows = store.queryClients({
      offset: 0,
      limit: 10,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: {},
    });
    expect(rows.total).toBe(1);
    expect(rows.rows[0]!.machineName).toBe('WS-0042.office.test');
  });

  it('an undecodable stub is a PROTOCOL_* error (the listener faults it) and is logged as a failed request', async () => {
    const { handle } = handler();
    await expect(handle(new Uint8Array([1, 2, 3]), { remoteAddress: '127.0.0.1' })).rejects.toMatchObject({
      code: expect.stringMatching(/^PROTOCOL_/),
    });
    const log = store.queryRequestLog({ offset: 0, limit: 10 });
    expect(log.rows.map((r) => r.result)).toEqual(['invalid-request']);
  });

  it('with a site token: no MAC and a wrong MAC are refused, the right MAC is admitted', async () => {
    const { handle } = handler({ siteToken: 'correct horse' });
    expect((await activate(handle, encodeActivationRequest(request()))).status).toBe(QapStatus.AdmissionRefused);
    const zero = encodeActivationRequest(request({ siteTokenMac: new Uint8Array(32) }));
    expect((await activate(handle, withRequestMac(zero, computeSiteTokenMac('wrong', zero)))).status).toBe(
      QapStatus.AdmissionRefused,
    );
    const good = withRequestMac(zero, computeSiteTokenMac('correct horse', zero));
    expect((await activate(handle, good)).status).toBe(QapStatus.Ok);
    const log = store.queryRequestLog({ offset: 0, limit: 10, newestFirst: false });
    expect(log.rows.map((r) => r.result)).toEqual(['admission-refused', 'admission-refused', 'count-insufficient']);
  });

  it('allowed ranges: IPv4, IPv6 and IPv4-mapped IPv6 addresses are checked; bad ranges are specific errors', async () => {
    const { handle } = handler({ allowedRanges: ['10.0.0.0/8', 'fd00::/8'] });
    const bytes = encodeActivationRequest(request());
    expect((await activate(handle, bytes, '127.0.0.1')).status).toBe(QapStatus.AdmissionRefused);
    expect((await activate(handle, bytes, '::ffff:10.1.2.3')).status).toBe(QapStatus.Ok);
    expect((await activate(handle, bytes, 'fd12::5')).status).toBe(QapStatus.Ok);
    expect((await activate(handle, bytes, '::1')).status).toBe(QapStatus.AdmissionRefused);
    expect(() => createAdmission({ allowedRanges: ['10.0.0.0/33'], clock })).toThrow(
      expect.objectContaining({ code: 'ADMISSION_BAD_RANGE' }),
    );
    expect(() => createAdmission({ allowedRanges: ['office'], clock })).toThrow(
      expect.objectContaining({ code: 'ADMISSION_BAD_RANGE' }),
    );
  });

  it('the per-address rate limit refuses with RateLimited and recovers as time passes', async () => {
    const { handle } = handler({ requestsPerAddressPerSecond: 2 });
    const bytes = encodeActivationRequest(request());
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await activate(handle, bytes)).status);
    expect(statuses).toEqual([QapStatus.Ok, QapStatus.Ok, QapStatus.RateLimited]);
    expect((await activate(handle, bytes, '127.0.0.2')).status).toBe(QapStatus.Ok);
    clock.advance(1_000);
    expect((await activate(handle, bytes)).status).toBe(QapStatus.Ok);
  });
});
