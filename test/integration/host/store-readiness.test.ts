// Readiness follows whether activations are recorded, not only whether the listener is up: a store
// that refuses writes (here PRAGMA query_only, which fails every commit with SQLITE_READONLY as a
// read-only file system does) makes /readyz answer 503 and the console say "not activating", with
// the reason; once writes work again the host is ready again by itself, with no client asking.
// And a -wal deleted under the running host is noticed at the next commit: that commit is saved
// into quorum.db, later ones are refused, and the host says why until it is restarted.
import { copyFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSignedResponse, encodeActivationRequest, QapStatus } from '../../../shared/protocol/index.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import type { ConsoleServer } from '../../../src-main/headless/console-server.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import type { ConsoleService } from '../../../src-main/service/console-service.js';
import { buildStatusView } from '../../../src-main/service/status-view.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';
import { startConsoleFor } from '../headless/fixtures.js';

let host: HostRuntime | undefined;
let service: ConsoleService | undefined;
let server: ConsoleServer | undefined;
const logged: string[] = [];

afterEach(async () => {
  await server?.close();
  service?.close();
  await host?.close();
  host = service = server = undefined;
  logged.length = 0;
});

async function start(): Promise<{ h: HostRuntime; readyz: () => Promise<{ status: number; text: string }> }> {
  const dataDir = tempDataDir();
  activateDataDir(dataDir);
  const h = await startHost({
    dataDir,
    listen: [{ host: '127.0.0.1', port: 0 }],
    housekeepingMs: 50,
    log: (l) => logged.push(l),
  });
  host = h;
  ({ service, server } = await startConsoleFor(h));
  const port = server.port;
  const readyz = async () => {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: r.status, text: await r.text() };
  };
  return { h, readyz };
}

async function activate(h: HostRuntime): Promise<{ status: number; cmid: string } | 'no reply'> {
  const req = activationRequest();
  try {
    const reply = await rpcCall({ host: '127.0.0.1', port: h.addresses()[0]!.port }, 0, encodeActivationRequest(req), {
      timeoutMs: 3_000,
    });
    return { status: decodeSignedResponse(reply).response.status, cmid: req.cmid };
  } catch {
    return 'no reply';
  }
}

async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

describe('readiness follows the store', () => {
  it('a store that fails every commit: /readyz 503 and "not activating" with the reason; ready again once writes work', async () => {
    const { h, readyz } = await start();
    expect(await activate(h)).toMatchObject({ status: QapStatus.Ok });
    expect(await readyz()).toEqual({ status: 200, text: 'ready\n' });

    h.store.db.pragma('query_only = 1');
    const failed = await activate(h);
    expect(failed === 'no reply' || failed.status !== QapStatus.Ok).toBe(true);
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.text).toMatch(/^not ready: The database .*quorum\.db is read-only/);
    const view = buildStatusView(h);
    expect(view.serving).toBe(false);
    expect(view.notServingReason).toMatch(/read-only/);
    expect(logged.join('\n')).toMatch(/STORE FAILING, activations are not being recorded/);

    h.store.db.pragma('query_only = 0');
    // No activation is sent: the host's own probe notices that writes work again.
    expect(await until(async () => (await readyz()).status === 200)).toBe(true);
    expect(buildStatusView(h)).toMatchObject({ serving: true, notServingReason: null });
    expect(logged.join('\n')).toMatch(/recording activations works again/);
    expect(await activate(h)).toMatchObject({ status: QapStatus.Ok });
  });

  it('a -wal deleted under the host: the next commit is saved into quorum.db, later ones are refused, and the host says why', async () => {
    const { h, readyz } = await start();
    const before = await activate(h);
    expect(before).toMatchObject({ status: QapStatus.Ok });
    const file = databasePath(h.dataDir);
    rmSync(`${file}-wal`);

    const next = await activate(h);
    expect(next).toMatchObject({ status: QapStatus.Ok });
    const refused = await activate(h);
    expect(refused === 'no reply' || refused.status !== QapStatus.Ok).toBe(true);
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.text).toMatch(
      /quorum\.db-wal was deleted or replaced while the host was running\. Every activation acknowledged so far was copied into the database file/,
    );
    expect(down.text).toMatch(/Restart the host/);
    expect(buildStatusView(h).serving).toBe(false);

    // What a killed host leaves: the main file alone, without the -wal the host was writing to.
    const copy = tempDataDir();
    copyFileSync(file, databasePath(copy));
    const reader = openStore({ file: databasePath(copy) });
    try {
      const journaled = reader.db.prepare('SELECT body FROM activation_journal').pluck().all() as string[];
      const seen = (cmid: string) =>
        journaled.some((b) => b.includes(cmid)) ||
        reader.db.prepare('SELECT 1 FROM clients WHERE cmid = ?').get(cmid) !== undefined;
      for (const ok of [before, next]) expect(seen((ok as { cmid: string }).cmid)).toBe(true);
    } finally {
      reader.close();
    }
  });

  it('a -wal deleted while no client asks: the housekeeping notices it', async () => {
    const { h, readyz } = await start();
    expect(await activate(h)).toMatchObject({ status: QapStatus.Ok });
    rmSync(`${databasePath(h.dataDir)}-wal`);
    expect(await until(async () => (await readyz()).status === 503)).toBe(true);
    expect(logged.join('\n')).toMatch(/STORE FAILING.*-wal was deleted/);
  });
});
