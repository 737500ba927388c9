/**
 * Start at login on Linux, where Electron's login-item API does nothing: an XDG autostart entry
 * (~/.config/autostart/quorum.desktop) that desktop sessions run at login.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart', 'quorum.desktop');
}

export function isAutostartOn(env: NodeJS.ProcessEnv = process.env): boolean {
  return existsSync(autostartFile(env));
}

/** `executable`: the AppImage (its $APPIMAGE) or the installed binary. */
export function setAutostart(on: boolean, executable: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = autostartFile(env);
  if (!on) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(join(file, '..'), { recursive: true });
  const exec = /[\s"'\\]/.test(executable) ? `"${executable.replace(/(["\\`$])/g, '\\$1')}"` : executable;
  writeFileSync(
    file,
    `[Desktop Entry]\nType=Application\nName=Quorum\nComment=Volume-activation host\nExec=${exec} --hidden\nX-GNOME-Autostart-enabled=true\n`,
  );
}
