/** Start at login: Electron's login items on Windows and macOS, an XDG autostart entry on Linux. */
import { app } from 'electron';
import { isAutostartOn, setAutostart } from '../host/login-item-linux.js';

/** Started by the login item: the tray only, no window. */
export const HIDDEN_ARG = '--hidden';

export function openAtLogin(): boolean | null {
  if (process.platform === 'linux') return isAutostartOn();
  if (process.platform === 'win32' || process.platform === 'darwin') return app.getLoginItemSettings().openAtLogin;
  return null;
}

export function setOpenAtLogin(on: boolean): void {
  if (process.platform === 'linux') setAutostart(on, process.env.APPIMAGE ?? process.execPath);
  else app.setLoginItemSettings({ openAtLogin: on, args: [HIDDEN_ARG] });
}
