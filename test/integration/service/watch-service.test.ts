// The watching half of the console service over a real host: health with its cause and fix, the
// "not activating" episode opened at start and closed when the key is activated (stored, not in
// memory), a client's request history, the export of a filtered view, and the picture of the count.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeActivationRequest } from '../../../shared/protocol/index.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { exportClientView } from '../../../src-main/service/client-views.js';
import { CLIENT_EXPORT_FIELDS } from '../../../src-main/store/export.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';

let host: HostRuntime | undefined;
let service: ConsoleService | undefined;
afterEach(async () => {
  service?.close();
  await host?.close();
  host = service = undefined;
});

async function start(dataDir: string): Promise<{ host: HostRuntime; service: ConsoleService }> {
  host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], housekeepingMs: 50 });
  service = createConsoleService(host, { watch: { tickMs: 50 } });
  return { host, service };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached in 5 s');
}

describe('the watch service', () => {
  it('says the host is not activating, why and what fixes it, until the key is activated', async () => {
    const dataDir = tempDataDir();
    const { service: s } = await start(dataDir);
    const status = await s.contract['host:status']({});
    expect(status.health).toMatchObject({ state: 'not-activating', cause: 'no-key', actionView: 'keys' });
    const open = (await s.contract['host:events']({})).filter((e) => e.kind === 'not-activating');
    expect(open).toEqual([expect.objectContaining({ severity: 'action', resolvedAt: null })]);
    expect(s.notifications.trayStatus().state).toBe('not-activating');
    // Re-checked every tick, the condition stays one event with one occurrence while it goes on.
    await new Promise((r) => setTimeout(r, 300));
    const still = (await s.contract['host:events']({})).filter((e) => e.kind === 'not-activating');
    expect(still.map((e) => [e.id, e.occurrences])).toEqual([[open[0]!.id, 1]]);

    activateDataDir(dataDir);
    const after = await until(
      () => s.contract['host:events']({}),
      (es) => es.some((e) => e.kind === 'activating'),
    );
    expect(after.find((e) => e.id === open[0]!.id)?.resolvedAt).toEqual(expect.any(Number));
    expect((await s.contract['host:status']({})).health).toEqual({ state: 'serving' });
    expect(s.notifications.trayStatus()).toEqual({ state: 'ok', line: 'Activating clients; nothing needs attention' });
  });

  it('gives a client history, exports the filtered view and draws the count', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir);
    const { host: h, service: s } = await start(dataDir);
    const port = h.addresses()[0]!.port;
    const first = activationRequest('desktop', { machineName: 'hist-01' });
    const again = activationRequest('desktop', { machineName: 'hist-01', cmid: first.cmid });
    for (const r of [first, again, activationRequest('desktop', { machineName: 'other-02' })]) {
      await rpcCall({ host: '127.0.0.1', port }, 0, encodeActivationRequest(r));
    }
    const history = await s.contract['clients:history']({ cmid: first.cmid, limit: 10 });
    expect(history.map((e) => [e.machineName, e.result])).toEqual([
      ['hist-01', 'count-insufficient'],
      ['hist-01', 'count-insufficient'],
    ]);

    const csv = await s.contract['clients:export']({
      format: 'csv',
      sort: { column: 'machineName', direction: 'asc' },
      filter: { text: 'hist' },
    });
    expect(csv).toMatchObject({ rows: 1, truncated: false, mimeType: 'text/csv' });
    const lines = csv.content.trim().split('\r\n');
    // The columns of `quorum clients --csv`: one export, whoever asks for it.
    expect(lines[0]).toBe(CLIENT_EXPORT_FIELDS.join(','));
    expect(lines[1]).toMatch(
      /^hist-01,127\.0\.0\.1,127\.0\.0\.1,Quorum Desktop 3,[0-9a-f-]+,[0-9a-f-]+,2,initial grace,false,.*,2,count-insufficient,/,
    );
    const json = await s.contract['clients:export']({
      format: 'json',
      sort: { column: 'machineName', direction: 'asc' },
      filter: {},
    });
    expect((JSON.parse(json.content) as { machineName: string }[]).map((r) => r.machineName)).toEqual([
      'hist-01',
      'other-02',
    ]);

    // At the cap: exactly the cap is complete, one more is said to be cut.
    const view = { sort: { column: 'machineName', direction: 'asc' }, filter: {} } as const;
    expect(await exportClientView(h, 'csv', view, Date.now(), 2)).toMatchObject({ rows: 2, truncated: false });
    expect(await exportClientView(h, 'csv', view, Date.now(), 1)).toMatchObject({ rows: 1, truncated: true });

    const pictures = await s.contract['overview:history']({});
    const desktop = pictures.find((g) => g.threshold === 25)!;
    const server = pictures.find((g) => g.threshold === 5 && g.applicationName === 'Operating systems')!;
    expect(desktop).toMatchObject({ covered: true, belowAt: null });
    expect(desktop.days.at(-1)?.count).toBe(2);
    expect(desktop.forecast[0]?.count).toBe(2);
    // Nobody renews: after 30 days both CMIDs have stopped counting.
    expect(desktop.forecast.at(-1)?.count).toBe(0);
    expect(server.covered).toBe(false);
    const stored = h.store.db.prepare('SELECT COUNT(*) AS n FROM count_snapshots').get() as { n: number };
    expect(stored.n).toBeGreaterThan(0);
  });
});
