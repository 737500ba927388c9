/**
 * A stand-in for the `electron` module (the binary cannot run here): Vitest resolves
 * `import ... from 'electron'` to this file (vitest.config.ts), so src-main/electron/ runs in plain
 * Node and a test reads what it was asked to do: windows and their webPreferences, the tray and its
 * menu, notifications, protocol handlers, IPC handlers, quitting, the OS keychain. Only what
 * Quorum's main process uses is here; each call is recorded, nothing is drawn.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (...args: never[]) => unknown;

export const record = {
  windows: [] as StandInWindow[],
  trays: [] as StandInTray[],
  notifications: [] as StandInNotification[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
  privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  ipcHandlers: new Map<string, Handler>(),
  opened: [] as string[],
  errorBoxes: [] as { title: string; content: string }[],
  quitCalls: 0,
  exitCode: null as number | null,
  loginItem: { openAtLogin: false, args: [] as string[] },
  /** The OS keychain as safeStorage sees it; a test sets what the machine offers. */
  keychain: {
    available: true,
    backend: 'gnome_libsecret' as 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown',
    /** This user's key; replacing it is a keychain that was reset (or another machine). */
    key: randomBytes(32),
    sealed: 0,
    opened: 0,
  },
};

class StandInWebContents extends EventEmitter {
  readonly mainFrame = { url: '' };
  reloads = 0;
  sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: Handler | null = null;
  #destroyed = false;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  reload(): void {
    this.reloads++;
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  setWindowOpenHandler(h: Handler): void {
    this.windowOpenHandler = h;
  }
  destroy(): void {
    this.#destroyed = true;
  }
}

export class StandInWindow extends EventEmitter {
  readonly webContents = new StandInWebContents();
  url = '';
  shown = false;
  #destroyed = false;
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    record.windows.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
    this.webContents.mainFrame.url = url;
    this.emit('ready-to-show');
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.#destroyed;
  }
  destroy(): void {
    this.#destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
}

export interface StandInMenuItem {
  label?: string;
  type?: string;
  checked?: boolean;
  click?: (item: { checked: boolean }) => void;
}

export class StandInTray extends EventEmitter {
  tooltip = '';
  menu: StandInMenuItem[] = [];
  constructor(public image: unknown) {
    super();
    record.trays.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setContextMenu(menu: { items: StandInMenuItem[] }): void {
    this.menu = menu.items;
  }
  /** The menu item with this label, clicked as the user would. */
  click(label: string): void {
    const item = this.menu.find((i) => i.label === label);
    if (!item?.click) throw new Error(`no tray menu item "${label}" in ${this.menu.map((i) => i.label).join(', ')}`);
    item.click({ checked: item.type === 'checkbox' ? !item.checked : false });
  }
}

export class StandInNotification extends EventEmitter {
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
    record.notifications.push(this);
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    this.shown = true;
  }
}

const paths = new Map<string, string>();
class StandInApp extends EventEmitter {
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: string): string {
    if (!paths.has(name)) paths.set(name, mkdtempSync(join(tmpdir(), `quorum-electron-${name}-`)));
    return paths.get(name)!;
  }
  setPath(name: string, path: string): void {
    paths.set(name, path);
  }
  getVersion(): string {
    return '0.1.0';
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { openAtLogin: record.loginItem.openAtLogin };
  }
  setLoginItemSettings(s: { openAtLogin: boolean; args?: string[] }): void {
    record.loginItem = { openAtLogin: s.openAtLogin, args: s.args ?? [] };
  }
  /** As Electron: before-quit first; unless a listener prevents it, the app ends. */
  quit(): void {
    record.quitCalls++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) record.exitCode = 0;
  }
  exit(code = 0): void {
    record.exitCode = code;
  }
}

/**
 * safeStorage as Electron 45 offers it (the asynchronous calls Quorum uses): real AES-256-GCM
 * under the keychain's key, so a sealed file is unreadable without it and a reset keychain cannot
 * open what the old one sealed.
 */
export const safeStorage = {
  isAsyncEncryptionAvailable: async (): Promise<boolean> => record.keychain.available,
  getSelectedStorageBackend: () => record.keychain.backend,
  encryptStringAsync: async (text: string): Promise<Buffer> => {
    if (!record.keychain.available) throw new Error('Encryption is not available.');
    record.keychain.sealed++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', record.keychain.key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body]);
  },
  decryptStringAsync: async (sealed: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> => {
    if (!record.keychain.available) throw new Error('Decryption is not available.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', record.keychain.key, sealed.subarray(3, 15));
      decipher.setAuthTag(sealed.subarray(15, 31));
      const result = Buffer.concat([decipher.update(sealed.subarray(31)), decipher.final()]).toString('utf8');
      record.keychain.opened++;
      return { result, shouldReEncrypt: false };
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  },
};

export const app = new StandInApp();
export const BrowserWindow = StandInWindow;
export const Tray = StandInTray;
export const Notification = StandInNotification;
export const Menu = { buildFromTemplate: (items: StandInMenuItem[]) => ({ items }) };
class StandInImage {
  readonly representations: { scaleFactor: number; dataURL?: string }[] = [];
  constructor(readonly source: string) {}
  addRepresentation(r: { scaleFactor: number; dataURL?: string }): void {
    this.representations.push(r);
  }
}
export const nativeImage = {
  createFromDataURL: (url: string) => new StandInImage(url),
  createFromPath: (path: string) => new StandInImage(path),
};
export const protocol = {
  registerSchemesAsPrivileged: (schemes: { scheme: string; privileges: Record<string, boolean> }[]) =>
    record.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: (request: Request) => Promise<Response> | Response) =>
    record.protocolHandlers.set(scheme, handler),
};
export const ipcMain = {
  handle: (channel: string, handler: Handler) => record.ipcHandlers.set(channel, handler),
  removeHandler: (channel: string) => record.ipcHandlers.delete(channel),
};
export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived: () => {} },
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
  },
};
export const shell = {
  openExternal: async (url: string) => void record.opened.push(url),
  openPath: async (path: string) => {
    record.opened.push(path);
    return '';
  },
};
export const dialog = {
  showErrorBox: (title: string, content: string) => record.errorBoxes.push({ title, content }),
};
export default {
  app,
  BrowserWindow,
  Tray,
  Notification,
  Menu,
  nativeImage,
  protocol,
  ipcMain,
  session,
  shell,
  dialog,
  safeStorage,
};
