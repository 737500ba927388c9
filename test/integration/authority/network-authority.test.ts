/**
 * The authority as a network service (`quorum authority serve`) and hosts activating against it
 * over real loopback sockets: the limits hold under concurrency, and an answer changed in transit,
 * replayed, or signed by another key is refused with nothing recorded.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../shared/domain/clock.js';
import {
  activateWithRemoteAuthority,
  completeOfflineActivation,
  installKey,
  issueKey,
  keyInfo,
  pinnedAuthorities,
  readLedger,
  startAuthorityServer,
  startOfflineActivation,
} from '../../../src-main/authority/index.js';
import { callAuthority, fetchAuthorityIdentity } from '../../../src-main/authority/remote-authority.js';
import { fromBase64url } from '../../../src-main/authority/authority-api.js';

const clock: Clock = { now: () => Date.now() };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const dir = (name: string) => mkdtempSync(join(tmpdir(), `quorum-${name}-`));

async function authority(limits = { perAddressPerMinute: 0, perKeyPerMinute: 0 }) {
  const dataDir = dir('authority');
  const key = issueKey(dataDir, clock, 'desktop', 1).text;
  const server = await startAuthorityServer({ dataDir, clock, listen: [{ host: '127.0.0.1', port: 0 }], limits });
  cleanup.push(() => server.close());
  return { dataDir, key, server, url: server.urls[0]! };
}

function host(key: string): string {
  const dataDir = dir('host');
  installKey(dataDir, clock, key);
  return dataDir;
}

/** An HTTP proxy in front of `target` that may rewrite or replay the authority's answers. */
async function proxy(target: string, rewrite: (body: string, path: string) => string): Promise<string> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void fetch(new URL(req.url ?? '/', target), {
        method: req.method ?? 'GET',
        headers: { 'Content-Type': 'application/json' },
        ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
      }).then(async (r) => {
        const text = rewrite(await r.text(), req.url ?? '/');
        res.writeHead(r.status, { 'Content-Type': 'application/json' }).end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; hint?: string };
  }
  throw new Error('expected a refusal');
}

describe('quorum authority serve: online activation over the network', () => {
  it('activates six hosts of one key, refuses the seventh, and pins the authority key on first use', async () => {
    const a = await authority();
    const hosts = Array.from({ length: 7 }, () => host(a.key));
    for (const [i, h] of hosts.slice(0, 6).entries()) {
      const r = await activateWithRemoteAuthority(h, clock, { url: a.url });
      expect(r.installed.activation).toMatchObject({ method: 'online', hostsUsed: i + 1, activationNumber: 1 });
      expect(r.trustedOnFirstUse).toBe(true);
      expect(r.authorityFingerprint).toBe(a.server.fingerprint);
      expect(pinnedAuthorities(h, clock)).toEqual({ [new URL(a.url).origin]: a.server.fingerprint });
    }
    const seventh = await refusal(activateWithRemoteAuthority(hosts[6]!, clock, { url: a.url }));
    expect(seventh.code).toBe('KEY_HOST_LIMIT');
    expect(keyInfo(hosts[6]!, clock).state).toBe('installed');
    expect(readLedger(a.dataDir, clock).keys[0]!.hostsUsed).toBe(6);
  });

  it("lets a host's tenth activation through and refuses the eleventh", async () => {
    const a = await authority();
    const h = host(a.key);
    await activateWithRemoteAuthority(h, clock, { url: a.url });
    expect((await refusal(activateWithRemoteAuthority(h, clock, { url: a.url }))).code).toBe('KEY_ALREADY_ACTIVATED');
    for (let n = 2; n <= 10; n += 1) {
      const r = await activateWithRemoteAuthority(h, clock, { url: a.url, reactivate: true });
      expect(r.installed.activation?.activationNumber).toBe(n);
    }
    const eleventh = await refusal(activateWithRemoteAuthority(h, clock, { url: a.url, reactivate: true }));
    expect(eleventh.code).toBe('KEY_REACTIVATION_LIMIT');
    expect(keyInfo(h, clock).activation?.activationNumber).toBe(10);
  });

  it('never exceeds the limits under twenty concurrent activations, and counts one host once', async () => {
    const a = await authority();
    const hosts = Array.from({ length: 20 }, () => host(a.key));
    const results = await Promise.allSettled(hosts.map((h) => activateWithRemoteAuthority(h, clock, { url: a.url })));
    const granted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(granted).toHaveLength(6);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(Array(14).fill('KEY_HOST_LIMIT'));
    expect(readLedger(a.dataDir, clock).keys[0]!.hostsUsed).toBe(6);

    // Two runs of one host at once (two terminals, a double click) spend one activation.
    const b = await authority();
    const same = host(b.key);
    const both = await Promise.all([
      activateWithRemoteAuthority(same, clock, { url: b.url }),
      activateWithRemoteAuthority(same, clock, { url: b.url }),
    ]);
    expect(both.map((r) => r.installed.activation?.activationNumber)).toEqual([1, 1]);
    expect(readLedger(b.dataDir, clock).keys[0]!.hosts[0]!.activations).toBe(1);
  });

  it('refuses an answer changed in transit and records nothing', async () => {
    const a = await authority();
    const tampering = await proxy(a.url, (body, path) => {
      if (!path.startsWith('/v1/activate')) return body;
      const envelope = JSON.parse(body) as { payload: string; signature: string };
      const payload = Buffer.from(envelope.payload, 'base64url').toString().replace('"hostsUsed":1', '"hostsUsed":2');
      return JSON.stringify({ ...envelope, payload: Buffer.from(payload).toString('base64url') });
    });
    const h = host(a.key);
    const e = await refusal(activateWithRemoteAuthority(h, clock, { url: tampering }));
    expect(e.code).toBe('AUTHORITY_ANSWER_FORGED');
    expect(e.message).toMatch(/signature/);
    expect(keyInfo(h, clock).state).toBe('installed');
  });

  it('refuses a replayed answer', async () => {
    const a = await authority();
    let recorded: string | undefined;
    const replaying = await proxy(a.url, (body, path) => {
      if (!path.startsWith('/v1/activate')) return body;
      recorded ??= body;
      return recorded;
    });
    const h = host(a.key);
    await activateWithRemoteAuthority(h, clock, { url: replaying });
    const e = await refusal(activateWithRemoteAuthority(h, clock, { url: replaying, reactivate: true }));
    expect(e.code).toBe('AUTHORITY_ANSWER_FORGED');
    expect(e.message).toMatch(/replayed/);
    expect(keyInfo(h, clock).activation?.activationNumber).toBe(1);
  });

  it('refuses an authority whose key is not the pinned one, before sending the key', async () => {
    const a = await authority();
    const h = host(a.key);
    const e = await refusal(activateWithRemoteAuthority(h, clock, { url: a.url, pin: 'ab'.repeat(32) }));
    expect(e.code).toBe('AUTHORITY_KEY_MISMATCH');
    expect(readLedger(a.dataDir, clock).keys[0]!.hostsUsed).toBe(0);
    const ok = await activateWithRemoteAuthority(h, clock, { url: a.url, pin: a.server.fingerprint.toUpperCase() });
    expect(ok.trustedOnFirstUse).toBe(false);
  });

  it('says an unreachable authority is unreachable and points at the offline path', async () => {
    const a = await authority();
    const h = host(a.key);
    await a.server.close();
    const e = await refusal(activateWithRemoteAuthority(h, clock, { url: a.url }));
    expect(e.code).toBe('AUTHORITY_UNREACHABLE');
    expect(e.hint).toContain('quorum key activate --offline');
  });

  it('says https:// to an authority that speaks plain HTTP, and that http:// is the fix', async () => {
    const a = await authority();
    const h = host(a.key);
    const e = await refusal(activateWithRemoteAuthority(h, clock, { url: a.url.replace(/^http:/, 'https:') }));
    expect(e.code).toBe('AUTHORITY_UNREACHABLE');
    expect(e.message).toMatch(/closed the connection during the TLS handshake/);
    expect(e.hint).toContain(`use ${a.url}.`);
  });

  it('confirms an installation ID over the API, as the telephone path does', async () => {
    const a = await authority();
    const h = host(a.key);
    const iid = startOfflineActivation(h, clock);
    const identity = await fetchAuthorityIdentity(new URL(a.url));
    const answer = await callAuthority(
      new URL(a.url),
      'v1/confirm',
      { v: 1, installationId: iid },
      fromBase64url(identity.publicKey),
    );
    expect(answer.kind).toBe('confirmation');
    if (answer.kind !== 'confirmation') return;
    const done = completeOfflineActivation(h, clock, answer.confirmationId);
    expect(done.activation).toMatchObject({ method: 'offline', hostsUsed: 1, activationNumber: 1 });
  });

  it('bounds what one peer may send: rate limit, body size, unknown paths', async () => {
    const a = await authority({ perAddressPerMinute: 3, perKeyPerMinute: 0 });
    const post = (body: string) =>
      fetch(`${a.url}/v1/activate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect((await post('{}')).status).toBe(400);
    const tooBig = await post(`{"pad":"${'x'.repeat(10_000)}"}`);
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('AUTHORITY_BODY_TOO_LARGE');
    expect((await post('not json')).status).toBe(400);
    const limited = await post('{}');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('AUTHORITY_RATE_LIMITED');
    expect((await fetch(`${a.url}/nope`)).status).toBe(404);
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
  });

  it('limits activations per key', async () => {
    const a = await authority({ perAddressPerMinute: 0, perKeyPerMinute: 2 });
    const hosts = [host(a.key), host(a.key), host(a.key)];
    await activateWithRemoteAuthority(hosts[0]!, clock, { url: a.url });
    await activateWithRemoteAuthority(hosts[1]!, clock, { url: a.url });
    const e = await refusal(activateWithRemoteAuthority(hosts[2]!, clock, { url: a.url }));
    expect(e.code).toBe('AUTHORITY_RATE_LIMITED');
    expect(e.hint).toMatch(/Try again in \d+ s/);
  });
});
