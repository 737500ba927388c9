/**
 * Desktop notifications and the tray's status line, thinly: which events notify, how often, and
 * the one-line status are the service's notification policy (service/notification-policy.ts).
 */
import { Notification } from 'electron';
import type { ConsoleViewId } from '../../shared/ipc/views.js';
import type { ConsoleService } from '../service/console-service.js';
import type { TrayStatus } from '../service/notification-policy.js';

export function notify(title: string, body: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title, body });
  n.on('click', onClick);
  n.show();
}

/** `open` shows the window on a view (a notification's click); `status` hears the tray's state and line. */
export function attachNotifications(
  service: ConsoleService,
  open: (view: ConsoleViewId) => void,
  status: (s: TrayStatus) => void,
): () => void {
  const offs = [
    service.notifications.onNotification((n) => notify(n.title, n.body, () => open(n.view))),
    service.notifications.onTrayStatus((s) => status(s)),
  ];
  status(service.notifications.trayStatus());
  return () => offs.forEach((off) => off());
}
