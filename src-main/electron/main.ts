/**
 * The desktop app: one instance, a tray icon, one hardened window, the host engine and listener in
 * this main process. Everything but the wiring below lives outside src-main/electron/ and is tested
 * in plain Node.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeError, QuorumError } from '../../shared/domain/errors.js';
import { QAP_DEFAULT_PORT } from '../../shared/protocol/qap-types.js';
import { startHost, startHostOnAllAddresses, type HostRuntime } from '../host/host-runtime.js';
import { readStoredNetworkSettings, storedAdmission } from '../host/network-settings.js';
import { createConsoleService, type ConsoleService } from '../service/console-service.js';
import { attachIpc } from './ipc-adapter.js';
import { guardNavigation, hardenSession, secureWebPreferences } from './security.js';
import { createTray } from './tray.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererFile = join(here, '..', 'renderer', 'index.html');
const appUrl = pathToFileURL(rendererFile).href;

let window: BrowserWindow | null = null;
let host: HostRuntime | null = null;
let service: ConsoleService | null = null;

function showWindow(): BrowserWindow {
  if (window && !window.isDestroyed()) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  }
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    title: 'Quorum',
    show: false,
    webPreferences: secureWebPreferences(join(here, '..', 'preload', 'index.cjs')),
  });
  guardNavigation(win.webContents, appUrl);
  const detach = service ? attachIpc(service, win.webContents, appUrl) : () => {};
  win.on('closed', () => {
    detach();
    window = null;
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl);
  window = win;
  return win;
}

async function quit(): Promise<void> {
  service?.close();
  await host?.close();
  app.exit(0);
}

async function start(): Promise<void> {
  hardenSession();
  const dataDir = process.env.QUORUM_DATA_DIR ?? app.getPath('userData');
  try {
    // The port, addresses and admission stored by the Settings page (or quorum settings).
    const stored = readStoredNetworkSettings(dataDir);
    const port = stored.port ?? QAP_DEFAULT_PORT;
    const admission = storedAdmission(stored);
    host = stored.addresses?.length
      ? await startHost({ dataDir, admission, listen: stored.addresses.map((h) => ({ host: h, port })) })
      : await startHostOnAllAddresses({ dataDir, admission }, port);
  } catch (e) {
    const info = e instanceof QuorumError ? e.toJSON() : { code: 'INTERNAL', message: String(e) };
    dialog.showErrorBox('Quorum could not start the activation host', describeError(info));
    app.exit(1);
    return;
  }
  service = createConsoleService(host);
  createTray(service, showWindow, () => void quit());
  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  // The host keeps serving from the tray when the window is closed.
  app.on('window-all-closed', () => {});
  app.on('web-contents-created', (_e, contents) => guardNavigation(contents, appUrl));
  void app.whenReady().then(start);
}
