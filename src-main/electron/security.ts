/**
 * All of the window hardening in one place: sandboxed renderer without Node, isolated context, a
 * strict CSP, no navigation away from the app, no new windows, every permission denied, and IPC
 * accepted only from the app's own top-level frame.
 */
import { session, shell, type BrowserWindowConstructorOptions, type WebContents, type WebFrameMain } from 'electron';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function secureWebPreferences(preload: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Applies the CSP header and denies every permission request for the default session. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Only our documentation links may open, and only in the user's browser. */
const EXTERNAL_ALLOW = [/^https:\/\/github\.com\//];

export function guardNavigation(contents: WebContents, appUrl: string): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (EXTERNAL_ALLOW.some((re) => re.test(url))) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** IPC is accepted only from the main frame of our window, showing our own page. */
export function isTrustedSender(frame: WebFrameMain | null, contents: WebContents, appUrl: string): boolean {
  if (!frame || frame !== contents.mainFrame) return false;
  try {
    const actual = new URL(frame.url);
    const expected = new URL(appUrl);
    return (
      actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname
    );
  } catch {
    return false;
  }
}
