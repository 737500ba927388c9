/**
 * The desktop app: one instance, a tray icon (kept for the app's lifetime), one hardened window,
 * the host engine and listener in this main process, a rotating log file. It survives what it can:
 * a renderer crash reloads the window, an uncaught error is logged and notified while the host
 * keeps serving, and a host that cannot start leaves the window up saying why and what to do.
 * Secrets it may seal are sealed with the OS keychain (os-secret-sealer.ts).
 * main.ts runs it; test/integration/electron/ runs it against a stand-in `electron` module.
 */
import { app, shell, type BrowserWindow } from 'electron';
import type { EventEmitter } from 'node:events';
import { join, resolve } from 'node:path';
import { QAP_DEFAULT_PORT } from '../../shared/protocol/qap-types.js';
import { createFileLogger, createStdoutLogger, hostLogLines, type Logger } from '../host/app-log.js';
import { resolveDataDir } from '../store/data-dir.js';
import { startHost, startHostOnAllAddresses, type HostOptions, type HostRuntime } from '../host/host-runtime.js';
import { readStoredNetworkSettings, storedAdmission } from '../host/network-settings.js';
import { createConsoleService, type ConsoleService } from '../service/console-service.js';
import { describeStartupProblem, startupProblemHtml, type StartupProblem } from '../service/startup-problem.js';
import { appRoot } from '../store/sqlite-binding.js';
import { APP_URL, registerAppScheme, serveApp, STARTUP_PROBLEM_URL } from './app-protocol.js';
import { createConsoleWindow } from './console-window.js';
import { HIDDEN_ARG, openAtLogin, setOpenAtLogin } from './login-item.js';
import { attachNotifications, notify } from './notifications.js';
import { osSecretSealer } from './os-secret-sealer.js';
import { guardNavigation, hardenSession } from './security.js';
import { createTray, type TrayHandle } from './tray.js';
import { trayIcon } from './tray-icon.js';
import type { TrayState as HostTrayState } from '../service/notification-policy.js';

export interface DesktopOptions {
  dataDir?: string;
  port?: number;
  /** Where to listen; default every address (IPv6 and IPv4) on `port`. */
  listen?: HostOptions['listen'];
  /** Host options for tests (a clock, the housekeeping pace). */
  host?: Pick<HostOptions, 'clock' | 'housekeepingMs'>;
  /** Console service options for tests (the notification policy's timings). */
  service?: Parameters<typeof createConsoleService>[1];
  logDir?: string;
  /** The built app: out/renderer and out/preload below it. */
  root?: string;
  /** Where uncaught errors and signals arrive (the process; a stand-in in tests). */
  processEvents?: EventEmitter;
}

export interface DesktopApp {
  readonly dataDir: string;
  readonly logger: Logger;
  host(): HostRuntime | null;
  service(): ConsoleService | null;
  problem(): StartupProblem | null;
  tray(): TrayHandle;
  window(): BrowserWindow | null;
  /** Resolves when before-quit has closed the host. */
  closed(): Promise<void>;
}

function defaultPort(env: NodeJS.ProcessEnv): number {
  const n = Number(env.QUORUM_PORT);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : QAP_DEFAULT_PORT;
}

export async function runDesktopApp(o: DesktopOptions = {}): Promise<DesktopApp | null> {
  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  const proc = o.processEvents ?? process;
  const dataDir = o.dataDir ?? resolveDataDir();
  const port = o.port ?? defaultPort(process.env);
  const root = o.root ?? appRoot();
  let window: BrowserWindow | null = null;
  let host: HostRuntime | null = null;
  let service: ConsoleService | null = null;
  let detachNotifications = () => {};
  let problem: StartupProblem | null = null;
  let closing: Promise<void> | null = null;

  // Where the data directory is Electron's own folder too (Windows, macOS), Chromium's caches and
  // storage go to a sub-folder of their own, apart from the host's files.
  if (resolve(app.getPath('userData')) === resolve(dataDir)) {
    app.setPath('sessionData', join(dataDir, 'console-browser'));
  }
  app.on('window-all-closed', () => {
    // The host keeps serving from the tray when the window is closed.
  });
  app.on('web-contents-created', (_e, contents) => guardNavigation(contents, APP_URL));
  await app.whenReady();
  const logDir = o.logDir ?? app.getPath('logs');
  const logger = await createFileLogger(logDir).catch((e: unknown) => {
    // An unwritable log folder must not stop the host: log to stdout and say why there.
    const fallback = createStdoutLogger();
    fallback.error({ err: e, logDir }, 'cannot write the log folder; logging to standard output');
    return fallback;
  });
  logger.info({ dataDir, port, version: app.getVersion() }, 'desktop app starting');
  // The OS keychain seals the secrets the CLI can do without (docs/operations.md, "File permissions and secrets").
  const secrets = await osSecretSealer();
  logger.info({ secrets: secrets.sealer.kind }, secrets.note);

  const showWindow = (): BrowserWindow => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return window;
    }
    const win = createConsoleWindow({
      preload: join(root, 'out', 'preload', 'index.cjs'),
      url: problem ? STARTUP_PROBLEM_URL : APP_URL,
      service,
      logger,
    });
    win.on('closed', () => {
      if (window === win) window = null;
    });
    window = win;
    return win;
  };

  let statusLine: string | null = null;
  let hostState: HostTrayState = 'ok';
  // Set once the tray exists; the notification feed reports its first status line before that.
  const trayRef: { current?: TrayHandle } = {};
  const startHostHere = async (): Promise<void> => {
    try {
      // The port, addresses and admission stored by the Settings page (or quorum settings).
      const stored = readStoredNetworkSettings(dataDir);
      const storedPort = stored.port ?? port;
      const options = {
        dataDir,
        log: hostLogLines(logger),
        admission: storedAdmission(stored),
        followStoredAdmission: true,
        secrets: secrets.sealer,
        ...o.host,
      };
      const listen = o.listen ?? stored.addresses?.map((h) => ({ host: h, port: storedPort }));
      host = listen?.length
        ? await startHost({ ...options, listen })
        : await startHostOnAllAddresses(options, storedPort);
      service = createConsoleService(host, o.service);
      detachNotifications = attachNotifications(
        service,
        (view) => void showWindow().loadURL(`${APP_URL}#/${view}`),
        (status) => {
          statusLine = status.line;
          hostState = status.state;
          trayRef.current?.update(trayState());
        },
      );
      problem = null;
      logger.info({ addresses: host.addresses() }, 'host serving');
    } catch (e) {
      problem = describeStartupProblem(e, { dataDir, port });
      logger.error({ code: problem.code, err: e }, 'host did not start');
    }
  };

  const trayState = () => ({
    problem: problem !== null,
    openAtLogin: openAtLogin(),
    statusLine,
    hostState: problem !== null ? ('not-activating' as const) : hostState,
  });
  const closeHost = async (): Promise<void> => {
    detachNotifications();
    try {
      service?.close();
      await host?.close();
    } catch (e) {
      // Quitting goes on: what was acknowledged is already committed (docs/operations.md, Durability).
      logger.error({ err: e }, 'closing the host failed');
    } finally {
      host = null;
      service = null;
    }
  };
  const retryStart = async (): Promise<void> => {
    if (!problem) return;
    await startHostHere();
    tray.update(trayState());
    // The window is reopened on the page that now applies (the console, or the new problem).
    if (window && !window.isDestroyed()) window.destroy();
    showWindow();
  };

  hardenSession();
  serveApp(join(root, 'out', 'renderer'), () => (problem ? startupProblemHtml(problem) : null));
  await startHostHere();
  const tray = createTray(trayIcon, trayState(), {
    showWindow: () => void showWindow(),
    retryStart: () => void retryStart(),
    openDataFolder: () => void shell.openPath(dataDir),
    openLogFolder: () => void shell.openPath(logDir),
    setOpenAtLogin: (on) => {
      setOpenAtLogin(on);
      tray.update(trayState());
    },
    quit: () => app.quit(),
  });
  trayRef.current = tray;

  // Faults outside a window: logged, told to the admin, and the host keeps serving.
  const fault = (kind: string) => (e: unknown) => {
    logger.error({ err: e }, kind);
    notify(
      'Quorum: an internal error was logged',
      `${String((e as Error)?.message ?? e)} (the host keeps serving)`,
      () => showWindow(),
    );
  };
  proc.on('uncaughtException', fault('uncaught exception'));
  proc.on('unhandledRejection', fault('unhandled rejection'));
  app.on('child-process-gone', (_e, details) => logger.error({ details }, 'child process gone'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) proc.on(signal, () => app.quit());

  app.on('second-instance', () => showWindow());
  app.on('before-quit', (event) => {
    if (closing === null) {
      logger.info('quitting: closing the host');
      closing = closeHost().then(() => logger.flush());
    }
    if (host || service) {
      // Quit again once the host has committed and closed.
      event.preventDefault();
      void closing.then(() => app.quit());
    }
  });

  if (!process.argv.includes(HIDDEN_ARG) || problem) showWindow();
  return {
    dataDir,
    logger,
    host: () => host,
    service: () => service,
    problem: () => problem,
    tray: () => tray,
    window: () => window,
    closed: () => closing ?? Promise.resolve(),
  };
}
