/** The tray icon and its menu: what the admin reaches while the window is closed. */
import { Menu, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { TrayState as HostTrayState } from '../service/notification-policy.js';

export interface TrayState {
  /** Set when the host did not start: the menu offers the fixes. */
  problem: boolean;
  /** Null where the platform offers no start at login. */
  openAtLogin: boolean | null;
  /** The one-line status of the notification feed (notification-feed.ts), shown atop the menu. */
  statusLine: string | null;
  /** The host's state as the icon shows it (a dot for attention or not activating). */
  hostState: HostTrayState;
}

export interface TrayActions {
  showWindow(): void;
  retryStart(): void;
  openDataFolder(): void;
  openLogFolder(): void;
  setOpenAtLogin(on: boolean): void;
  quit(): void;
}

export function trayMenu(state: TrayState, a: TrayActions): MenuItemConstructorOptions[] {
  return [
    ...(state.statusLine && !state.problem ? [{ label: state.statusLine, enabled: false }] : []),
    { label: state.problem ? 'Open console (host not started)' : 'Open console', click: () => a.showWindow() },
    ...(state.problem ? [{ label: 'Try again', click: () => a.retryStart() }] : []),
    { label: 'Open data folder', click: () => a.openDataFolder() },
    { label: 'Open log folder', click: () => a.openLogFolder() },
    ...(state.openAtLogin === null
      ? []
      : [
          {
            label: 'Start at login',
            type: 'checkbox' as const,
            checked: state.openAtLogin,
            click: (item: { checked: boolean }) => a.setOpenAtLogin(item.checked),
          },
        ]),
    { type: 'separator' },
    { label: 'Quit Quorum (stops the host)', click: () => a.quit() },
  ];
}

export interface TrayHandle {
  /** Kept by the caller for the app's lifetime: a Tray that is garbage-collected disappears. */
  readonly tray: Tray;
  update(state: TrayState): void;
}

export function createTray(
  icon: (state: HostTrayState) => NativeImage,
  state: TrayState,
  actions: TrayActions,
): TrayHandle {
  const tray = new Tray(icon(state.hostState));
  let shown = state.hostState;
  tray.setToolTip('Quorum activation host');
  tray.on('click', () => actions.showWindow());
  const update = (s: TrayState) => {
    if (s.hostState !== shown) {
      shown = s.hostState;
      tray.setImage(icon(s.hostState));
    }
    tray.setToolTip(
      s.problem
        ? 'Quorum: the host did not start'
        : s.statusLine
          ? `Quorum: ${s.statusLine}`
          : 'Quorum activation host',
    );
    tray.setContextMenu(Menu.buildFromTemplate(trayMenu(s, actions)));
  };
  update(state);
  return { tray, update };
}
