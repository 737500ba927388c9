/**
 * What the client believes and refuses: signatures, echoed nonce/CMID, host key pinning, and the
 * specific errors for each kind of answer. Real codec and Ed25519 keys; in-process host.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../shared/domain/index.js';
import { QapStatus } from '../../../shared/protocol/qap-types.js';
import { createClient, type ClientOptions } from '../../../src-main/client/client.js';
import type { ClientEvent } from '../../../src-main/client/events.js';
import { readClientState } from '../../../src-main/client/state-file.js';
import { createTestHost, InProcessNetwork, type TestHost } from './support/test-host.js';

let dir: string;
let clock: VirtualClock;
let network: InProcessNetwork;
let host: TestHost;
const A = { host: '127.0.0.1', port: 1700 };
const B = { host: '127.0.0.1', port: 1701 };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-verify-'));
  clock = new VirtualClock();
  network = new InProcessNetwork();
  host = createTestHost(clock, 1);
  network.add(A, host);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function client(extra: Partial<ClientOptions> = {}) {
  return createClient({
    stateFile: join(dir, 'state.json'),
    product: 'desktop',
    hosts: ['127.0.0.1:1700'],
    machineName: 'pc-01',
    isVm: true,
    scheduler: clock,
    transport: network,
    ...extra,
  });
}

describe('client verification and errors', () => {
  it('activates, pins the host key on first use and reports the VM flag and machine name', async () => {
    const out = await client().activateOnce();
    expect(out).toMatchObject({ activated: true, error: null, host: '127.0.0.1:1700', hostId: host.identity.hostId });
    expect(out.fingerprint).toBe(host.identity.fingerprint);
    expect(host.requests[0]).toMatchObject({ isVm: true, machineName: 'pc-01', siteTokenMac: null });
    const state = await readClientState(join(dir, 'state.json'));
    expect(state!.pins).toEqual({ '127.0.0.1:1700': host.identity.fingerprint });
    expect(state!.cachedHost).toEqual({ ...A, via: 'static' });
  });

  it('refuses a reply altered after signing: CLIENT_SIGNATURE_INVALID, nothing activated or pinned', async () => {
    host.behaviour = { tamper: (r) => ({ ...r, count: 999 }) };
    const out = await client().activateOnce();
    expect(out.activated).toBe(false);
    expect(out.error?.code).toBe('CLIENT_SIGNATURE_INVALID');
    expect(out.status.licenses[0]!.validUntil).toBeNull();
    expect((await readClientState(join(dir, 'state.json')))!.pins).toEqual({});
  });

  it.each([
    ['nonce', { override: (r: never) => ({ ...(r as object), nonce: new Uint8Array(16) }) }],
    ['client time', { override: (r: never) => ({ ...(r as object), clientTime: 1 }) }],
    ['CMID', { override: (r: never) => ({ ...(r as object), cmid: '00000000-0000-4000-8000-000000000000' }) }],
  ])('refuses a correctly signed reply to another request (%s): CLIENT_REPLAY', async (_what, behaviour) => {
    host.behaviour = behaviour as TestHost['behaviour'];
    const out = await client().activateOnce();
    expect(out.activated).toBe(false);
    expect(out.error?.code).toBe('CLIENT_REPLAY');
  });

  it('refuses a different key at a pinned address, loudly, and does not fail over silently', async () => {
    await client().activateOnce();
    network.add(A, createTestHost(clock, 2));
    network.add(B, createTestHost(clock, 3));
    const out = await client({ hosts: ['127.0.0.1:1700', '127.0.0.1:1701'] }).activateOnce();
    expect(out.activated).toBe(false);
    expect(out.error?.code).toBe('CLIENT_HOST_KEY_MISMATCH');
    expect(out.error?.message).toContain('HOST KEY MISMATCH');
    expect(out.error?.message).toContain(host.identity.fingerprint);
    expect(network.contacted).not.toContain('127.0.0.1:1701');
  });

  it('ignores a host cached under other settings: --host A means A', async () => {
    network.add(B, createTestHost(clock, 3));
    await client({ hosts: ['127.0.0.1:1701'] }).activateOnce();
    const events: ClientEvent[] = [];
    const out = await client({ onEvent: (e) => events.push(e) }).activateOnce();
    expect(out.host).toBe('127.0.0.1:1700');
    expect(events.filter((e) => e.type === 'host-try').map((e) => (e as { host: string }).host)).toEqual([
      '127.0.0.1:1700',
    ]);
    expect(out.status.cachedHost).toBe('127.0.0.1:1700');
  });

  it('with admin fingerprints accepts only those keys', async () => {
    const other = createTestHost(clock, 9).identity.fingerprint;
    const refused = await client({ pinnedFingerprints: [other] }).activateOnce();
    expect(refused.error?.code).toBe('CLIENT_HOST_KEY_MISMATCH');
    const upper = host.identity.fingerprint.toUpperCase().match(/.{2}/g)!.join(':');
    const ok = await client({ pinnedFingerprints: [other, upper] }).activateOnce();
    expect(ok.activated).toBe(true);
    expect((await readClientState(join(dir, 'state.json')))!.pins).toEqual({});
  });

  it('explains an insufficient count with the count, the threshold and what it means', async () => {
    host.behaviour = { granted: false, count: 3, threshold: 25 };
    const out = await client().activateOnce();
    expect(out).toMatchObject({ activated: false, count: 3, threshold: 25 });
    expect(out.error?.code).toBe('CLIENT_COUNT_INSUFFICIENT');
    expect(out.error?.message).toContain('has seen 3 of the 25 clients it needs');
    expect(out.error?.hint).toContain('retries every 120 minutes');
  });

  it.each([
    [QapStatus.HostNotActivated, 'CLIENT_HOST_NOT_ACTIVATED'],
    [QapStatus.AdmissionRefused, 'CLIENT_ADMISSION_REFUSED'],
    [QapStatus.UnknownProduct, 'CLIENT_REQUEST_REFUSED'],
  ])('maps host status %i to %s, after trying the other hosts', async (status, code) => {
    host.behaviour = { status };
    const out = await client({ hosts: ['127.0.0.1:1700', '127.0.0.1:1701'] }).activateOnce();
    expect(out.error?.code).toBe(code);
    expect(network.contacted).toEqual(['127.0.0.1:1700', '127.0.0.1:1701']);
    expect(out.status.cachedHost).toBeNull();
  });

  it('lists every host that did not answer, with its error', async () => {
    network.down.add('127.0.0.1:1700');
    const events: ClientEvent[] = [];
    const out = await client({
      hosts: ['127.0.0.1:1700', '127.0.0.1:1701'],
      onEvent: (e) => events.push(e),
    }).activateOnce();
    expect(out.error?.code).toBe('CLIENT_NO_HOST_ANSWERED');
    expect(out.error?.message).toContain('127.0.0.1:1700: Connection to 127.0.0.1:1700 refused. [RPC_CONNECT_REFUSED]');
    expect(out.error?.message).toContain('127.0.0.1:1701');
    expect(events.filter((e) => e.type === 'host-failed')).toHaveLength(2);
  });

  it('sends a site token MAC the host can check', async () => {
    const { computeSiteTokenMac } = await import('../../../src-main/host/admission.js');
    const { encodeActivationRequest, withRequestMac } = await import('../../../shared/protocol/qap-codec.js');
    await client({ siteToken: 'office-secret' }).activateOnce();
    const req = host.requests[0]!;
    const draft = encodeActivationRequest({ ...req, siteTokenMac: new Uint8Array(32) });
    const expected = withRequestMac(draft, computeSiteTokenMac('office-secret', draft));
    expect(encodeActivationRequest(req)).toEqual(expected);
  });

  it('keeps one CMID for the installation across products, one license record each', async () => {
    await client().activateOnce();
    await client({ product: 'office' }).activateOnce();
    const cmids = new Set(host.requests.map((r) => r.cmid));
    expect(cmids.size).toBe(1);
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { licenses: object };
    expect(Object.keys(state.licenses)).toHaveLength(2);
  });

  it('refuses bad options with specific codes', () => {
    expect(() => client({ product: 'nope' })).toThrow(expect.objectContaining({ code: 'CLIENT_UNKNOWN_PRODUCT' }));
    expect(() => client({ hosts: [] })).toThrow(expect.objectContaining({ code: 'CLIENT_BAD_DISCOVERY' }));
    expect(() => client({ domains: ['x.test'] })).toThrow(expect.objectContaining({ code: 'CLIENT_BAD_DISCOVERY' }));
    expect(() => client({ machineName: 'x'.repeat(64) })).toThrow(
      expect.objectContaining({ code: 'CLIENT_BAD_MACHINE_NAME' }),
    );
    expect(() => client({ hosts: ['h:99999'] })).toThrow(expect.objectContaining({ code: 'CLIENT_BAD_ADDRESS' }));
  });
});
