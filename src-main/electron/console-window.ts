/**
 * The console window: hardened, wired to the service over IPC, and brought back when its renderer
 * dies (a crash, the OOM killer): the host keeps serving in this process meanwhile.
 */
import { BrowserWindow } from 'electron';
import type { Logger } from '../host/app-log.js';
import type { ConsoleService } from '../service/console-service.js';
import { APP_URL } from './app-protocol.js';
import { attachIpc } from './ipc-adapter.js';
import { guardNavigation, secureWebPreferences } from './security.js';

export interface ConsoleWindowOptions {
  preload: string;
  /** The console, or the start-up problem page when the host did not start. */
  url: string;
  service: ConsoleService | null;
  logger: Logger;
}

export function createConsoleWindow(o: ConsoleWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    title: 'Quorum',
    show: false,
    webPreferences: secureWebPreferences(o.preload),
  });
  guardNavigation(win.webContents, o.url);
  const detach = o.service ? attachIpc(o.service, win.webContents, APP_URL) : () => {};
  win.webContents.on('render-process-gone', (_event, details) => {
    o.logger.error({ reason: details.reason, exitCode: details.exitCode }, 'console renderer gone');
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) win.webContents.reload();
  });
  win.webContents.on('unresponsive', () => o.logger.warn('console renderer unresponsive'));
  win.on('closed', detach);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(o.url);
  return win;
}
