// The desktop app's main process, run in Node against the stand-in `electron` module
// (test/support/electron-stand-in.ts): a real host on loopback, a real data directory, a real log
// file; only Electron's objects are recordings.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TRAY_ICON_ATTENTION_1X } from '../../../src-main/electron/tray-icon-data.js';
import { INVOKE_CHANNELS } from '../../../shared/ipc/contract.js';
import { encodeActivationRequest } from '../../../shared/protocol/index.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { runDesktopApp, type DesktopApp } from '../../../src-main/electron/desktop-app.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';
import { record } from '../../support/electron-stand-in.js';

const DAY_MS = 86_400_000;
let now = Date.now();
const clock = { now: () => now };
const processEvents = new EventEmitter();
const dataDir = tempDataDir();
const logDir = join(tempDataDir('quorum-logs-'), 'logs');
// Start at login on Linux is an XDG autostart file: kept in a folder of this test's own.
process.env.XDG_CONFIG_HOME = tempDataDir('quorum-xdg-');
const autostart = join(process.env.XDG_CONFIG_HOME, 'autostart', 'quorum.desktop');
let desktop: DesktopApp;
let port: number;

beforeAll(async () => {
  activateDataDir(dataDir, 'server');
  desktop = (await runDesktopApp({
    dataDir,
    logDir,
    listen: [{ host: '127.0.0.1', port: 0 }],
    host: { clock, housekeepingMs: 60_000 },
    // Notifications at once: the policy's coalescing is tested in Node (notification-policy.test.ts).
    service: { watch: { notifications: { coalesceMs: 0 } } },
    processEvents,
  }))!;
  port = desktop.host()!.addresses()[0]!.port;
});

afterAll(async () => {
  await desktop.host()?.close();
});

const logLines = () =>
  readdirSync(logDir)
    .filter((f) => f.endsWith('.log'))
    .flatMap((f) => readFileSync(join(logDir, f), 'utf8').trim().split('\n'))
    .map((l) => JSON.parse(l) as { msg: string; level: number; reason?: string });

function canConnect(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('the desktop main process', () => {
  it('starts the host, keeps a tray with its menu and opens one hardened window on app://', async () => {
    expect(await canConnect()).toBe(true);
    expect(desktop.problem()).toBeNull();

    expect(record.trays).toHaveLength(1);
    expect(desktop.tray().tray).toBe(record.trays[0]);
    // The icon drawn from build/icon.svg, with its 2x version for high-density screens.
    expect(record.trays[0]!.image).toMatchObject({
      source: expect.stringMatching(/^data:image\/png;base64,/),
      representations: [expect.objectContaining({ scaleFactor: 2 })],
    });
    expect(record.trays[0]!.menu.map((i) => i.label)).toEqual(
      expect.arrayContaining(['Open console', 'Open data folder', 'Start at login', 'Quit Quorum (stops the host)']),
    );

    expect(record.windows).toHaveLength(1);
    const win = record.windows[0]!;
    expect(win.url).toBe('app://quorum/index.html');
    expect(win.shown).toBe(true);
    expect(win.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(String(win.options.webPreferences!.preload)).toMatch(/out[/\\]preload[/\\]index\.cjs$/);

    // Every contract channel has a handler, and it answers the app's own page.
    expect([...record.ipcHandlers.keys()].sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort());
    const status = (await record.ipcHandlers.get('host:status')!({
      senderFrame: win.webContents.mainFrame,
    } as never)) as { ok: boolean };
    expect(status.ok).toBe(true);
    const forged = (await record.ipcHandlers.get('host:status')!({
      senderFrame: { url: 'app://quorum/index.html' },
    } as never)) as {
      ok: boolean;
      error: { code: string };
    };
    expect(forged).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
  });

  it('serves the renderer from app:// with the one CSP on every response', async () => {
    expect(record.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    const handler = record.protocolHandlers.get('app')!;
    const index = await handler(new Request('app://quorum/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await index.text()).toContain('<html');
    expect((await handler(new Request('app://quorum/../../package.json'))).status).toBe(404);
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('notifies when a threshold is lost', async () => {
    for (let i = 1; i <= 5; i++) {
      await rpcCall(
        { host: '127.0.0.1', port },
        0,
        encodeActivationRequest(activationRequest('server', { machineName: `srv-${i}` })),
      );
    }
    expect(record.notifications).toHaveLength(0);
    now += 31 * DAY_MS;
    desktop.host()!.engine.sweep();
    const shown = () => record.notifications.filter((n) => n.shown);
    await vi.waitFor(() => expect(shown()).toHaveLength(1));
    // The tray's icon gets its amber dot: a warning waits in "Needs attention".
    await vi.waitFor(() => expect((record.trays[0]!.image as { source: string }).source).toBe(TRAY_ICON_ATTENTION_1X), {
      timeout: 5_000,
    });
    expect(record.trays[0]!.tooltip).toMatch(/needs attention/);
    expect(shown()[0]!.options.body).toMatch(
      /fell to 0, below 5; Quorum Server 3, Quorum Server 2 clients are no longer activated/,
    );
  });

  it('reloads the window when its renderer dies, and logs why', () => {
    const win = record.windows[0]!;
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(win.webContents.reloads).toBe(1);
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(win.webContents.reloads).toBe(1);
  });

  it('logs an uncaught error, tells the admin and keeps serving', async () => {
    processEvents.emit('uncaughtException', new Error('something broke in a timer'));
    processEvents.emit('unhandledRejection', new Error('a promise nobody awaited'));
    expect(record.notifications.at(-1)!.options.body).toContain('a promise nobody awaited');
    expect(await canConnect()).toBe(true);
  });

  it('turns start at login on from the tray', () => {
    record.trays[0]!.click('Start at login');
    const item = record.trays[0]!.menu.find((i) => i.label === 'Start at login')!;
    expect(item.checked).toBe(true);
    if (process.platform === 'linux') expect(readFileSync(autostart, 'utf8')).toMatch(/^Exec=.+ --hidden$/m);
    else expect(record.loginItem).toEqual({ openAtLogin: true, args: ['--hidden'] });
    record.trays[0]!.click('Start at login');
    expect(existsSync(autostart)).toBe(false);
    expect(record.trays[0]!.menu.find((i) => i.label === 'Start at login')!.checked).toBe(false);
  });

  it('closes the host before quitting, and the log file holds the story', async () => {
    record.trays[0]!.click('Quit Quorum (stops the host)');
    expect(record.exitCode).toBeNull(); // held until the host has closed
    await desktop.closed();
    await new Promise((r) => setImmediate(r));
    expect(record.exitCode).toBe(0);
    expect(desktop.host()).toBeNull();
    expect(await canConnect()).toBe(false);

    expect(existsSync(logDir)).toBe(true);
    // The rotating file is written by the logger's own stream: the last line lands a moment later.
    await vi.waitFor(
      () =>
        expect(logLines().map((l) => l.msg)).toEqual(
          expect.arrayContaining([
            'desktop app starting',
            'host serving',
            'console renderer gone',
            'uncaught exception',
            'unhandled rejection',
            'quitting: closing the host',
          ]),
        ),
      { timeout: 5_000 },
    );
    expect(logLines().find((l) => l.msg === 'console renderer gone')!.reason).toBe('crashed');
  });
});
