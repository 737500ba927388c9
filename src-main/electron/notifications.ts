/**
 * Desktop notifications, thinly: whatever the service's "needs attention" feed marks as a warning or
 * an error becomes one notification (which events, and how often, is the feed's decision).
 */
import { Notification } from 'electron';
import type { ConsoleService } from '../service/console-service.js';

export function notify(title: string, body: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title, body });
  n.on('click', onClick);
  n.show();
}

export function attachNotifications(service: ConsoleService, showWindow: () => void): () => void {
  return service.events.on('host:event', (e) => {
    if (e.level === 'info') return;
    notify(e.level === 'error' ? 'Quorum: action needed' : 'Quorum', e.message, showWindow);
  });
}
