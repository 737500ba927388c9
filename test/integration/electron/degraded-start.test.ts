// When the host cannot start, the desktop app still opens its window, on a page that says why and
// what to do, and the tray offers "Try again": here the activation port is taken by another program.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDesktopApp, type DesktopApp } from '../../../src-main/electron/desktop-app.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';
import { app, record } from '../../support/electron-stand-in.js';

let blocker: Server;
let port: number;
let desktop: DesktopApp;

beforeAll(async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  port = (blocker.address() as { port: number }).port;
  // As on Windows and macOS: the data directory is Electron's own folder too.
  const dataDir = app.getPath('userData');
  activateDataDir(dataDir, 'server');
  desktop = (await runDesktopApp({
    dataDir,
    logDir: join(tempDataDir('quorum-logs-'), 'logs'),
    port,
    listen: [{ host: '127.0.0.1', port }],
  }))!;
});

afterAll(async () => {
  blocker.close();
  await desktop.host()?.close();
});

describe('a desktop app whose host cannot start', () => {
  it('opens the window on a page that says why and what to do, instead of exiting', async () => {
    expect(desktop.host()).toBeNull();
    expect(desktop.problem()?.code).toBe('HOST_PORT_IN_USE');
    expect(record.exitCode).toBeNull();
    expect(record.errorBoxes).toEqual([]);
    const win = record.windows.at(-1)!;
    expect(win.url).toBe('app://quorum/startup-problem.html');
    const page = await record.protocolHandlers.get('app')!(new Request(win.url));
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('the port is in use');
    expect(html).toContain(`Another program uses port ${port}`);
    expect(html).toContain('QUORUM_PORT');
    expect(html).not.toContain('<script');
    expect(record.trays[0]!.tooltip).toBe('Quorum: the host did not start');
    expect(record.trays[0]!.menu.map((i) => i.label)).toEqual(
      expect.arrayContaining(['Open console (host not started)', 'Try again', 'Open data folder']),
    );
    // The window's browser storage is kept apart from the host's files.
    expect(app.getPath('sessionData')).toBe(join(desktop.dataDir, 'console-browser'));
    record.trays[0]!.click('Open data folder');
    expect(record.opened).toContain(desktop.dataDir);
  });

  it('starts the host on "Try again" once the port is free, and shows the console', async () => {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    record.trays[0]!.click('Try again');
    for (let i = 0; i < 100 && !desktop.host(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(desktop.host()?.addresses()[0]?.port).toBe(port);
    expect(desktop.problem()).toBeNull();
    expect(record.windows.at(-1)!.url).toBe('app://quorum/index.html');
    expect(record.trays[0]!.menu.map((i) => i.label)).not.toContain('Try again');
    expect((await record.protocolHandlers.get('app')!(new Request('app://quorum/startup-problem.html'))).status).toBe(
      404,
    );
  });
});
