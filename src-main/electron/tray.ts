/** The tray icon and its notifications: what needs the admin's attention while the window is closed. */
import { Menu, Notification, Tray, nativeImage, type BrowserWindow } from 'electron';
import type { ConsoleService } from '../service/console-service.js';

// A 16x16 neutral dot; a designed icon set comes with the installer artwork.
const ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAO0lEQVR4nGNQCbvGQAnGJfEfBybKAFyasRpCqmYMQ8jRjGIIuZrhhowaQEUDKI5GqiQkqiRlqmQmkjAAboXrdG26PIoAAAAASUVORK5CYII=';

export function createTray(service: ConsoleService, showWindow: () => BrowserWindow, quit: () => void): Tray {
  const tray = new Tray(nativeImage.createFromDataURL(ICON));
  // The first line of the menu and the tooltip are the feed's one-line status (notification-feed.ts).
  const showStatus = (line: string) => {
    tray.setToolTip(`Quorum: ${line}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: line, enabled: false },
        { label: 'Open console', click: () => showWindow() },
        { type: 'separator' },
        { label: 'Quit Quorum (stops the host)', click: quit },
      ]),
    );
  };
  showStatus(service.notifications.trayStatus().line);
  tray.on('click', () => showWindow());
  // What and when to notify is decided in service/notification-policy.ts; the tray only shows it.
  service.notifications.onNotification((e) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: e.title, body: e.body });
    n.on('click', () => showWindow());
    n.show();
  });
  service.notifications.onTrayStatus((s) => showStatus(s.line));
  return tray;
}
