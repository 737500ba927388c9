/**
 * The console's Keys view activates with the vendor's authority over the network, through the
 * running host's own connection, as `quorum key activate --authority URL` does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Wrapped } from '../../../shared/ipc/views.js';
import { issueKey, startAuthorityServer, type AuthorityServer } from '../../../src-main/authority/index.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { dispatchInvoke } from '../../../src-main/service/dispatch.js';
import { tempDataDir } from '../../support/activated-host.js';

const HOUR = 3_600_000;
const clock = { now: () => Date.now() };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function vendor(): Promise<{ key: string; server: AuthorityServer }> {
  const dir = tempDataDir('quorum-vendor-');
  const key = issueKey(dir, clock, 'desktop', 3).text;
  const server = await startAuthorityServer({ dataDir: dir, clock, listen: [{ host: '127.0.0.1', port: 0 }] });
  cleanup.push(() => server.close());
  return { key, server };
}

async function startConsole(): Promise<{
  host: HostRuntime;
  service: ConsoleService;
  call: <T>(c: string, i: unknown) => Promise<Wrapped<T>>;
}> {
  const host = await startHost({
    dataDir: tempDataDir(),
    listen: [{ host: '127.0.0.1', port: 0 }],
    housekeepingMs: HOUR,
  });
  const service = createConsoleService(host, { statusCheckMs: HOUR });
  cleanup.push(async () => {
    service.close();
    await host.close();
  });
  return { host, service, call: (c, i) => dispatchInvoke(service.contract, c, i) as never };
}

describe('the Keys view with a networked authority', () => {
  it('activates with the vendor, trusts its key on first use, and serves at once', async () => {
    const v = await vendor();
    const c = await startConsole();
    expect((await c.call('keys:install', { key: v.key })).ok).toBe(true);
    const r = await c.call<{ message: string }>('keys:activate-online', { authorityUrl: v.server.urls[0] });
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.value.message).toContain('Activated online with http://127.0.0.1');
    expect(r.value.message).toContain(`trusted on first use: ${v.server.fingerprint}`);
    expect(c.host.gate().serving).toBe(true);
  });

  it('refuses an authority whose key is not the one given, and a malformed address', async () => {
    const v = await vendor();
    const c = await startConsole();
    await c.call('keys:install', { key: v.key });
    const wrong = await c.call('keys:activate-online', {
      authorityUrl: v.server.urls[0],
      authorityPin: 'ab'.repeat(32),
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'AUTHORITY_KEY_MISMATCH' } });
    const bad = await c.call('keys:activate-online', { authorityUrl: 'ftp://example' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    expect(c.host.gate().serving).toBe(false);
  });
});
