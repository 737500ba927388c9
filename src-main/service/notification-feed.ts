/**
 * The small typed feed the desktop shell subscribes to: notifications as the policy lets them out
 * (timers live here, decisions in notification-policy.ts), and the tray's state and one-line status
 * whenever they change. Nothing here imports Electron.
 */
import type { HealthView, HostEventView } from '../../shared/ipc/views.js';
import {
  NotificationPolicy,
  trayStatus,
  type ConsoleNotification,
  type NotificationPolicyOptions,
  type TrayStatus,
} from './notification-policy.js';

export interface NotificationFeed {
  onNotification(listener: (n: ConsoleNotification) => void): () => void;
  onTrayStatus(listener: (s: TrayStatus) => void): () => void;
  trayStatus(): TrayStatus;
}

export interface NotificationFeedControl extends NotificationFeed {
  /** An event as stored now (new or grown). */
  offer(e: HostEventView): void;
  /** The admin acknowledged these in the console: no need to notify them. */
  acknowledged(ids: readonly number[]): void;
  /** The health and the open attention list changed (or may have). */
  update(health: HealthView, attention: readonly HostEventView[]): void;
  close(): void;
}

export function createNotificationFeed(
  now: () => number,
  options: Partial<NotificationPolicyOptions> = {},
): NotificationFeedControl {
  const policy = new NotificationPolicy(options);
  const notify = new Set<(n: ConsoleNotification) => void>();
  const tray = new Set<(s: TrayStatus) => void>();
  let status: TrayStatus = { state: 'ok', line: 'Starting…' };
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    const at = policy.nextDueAt();
    if (at === null) return;
    timer = setTimeout(
      () => {
        const n = policy.due(now());
        if (n) for (const l of notify) l(n);
        schedule();
      },
      Math.max(0, at - now()),
    );
    timer.unref();
  };

  return {
    onNotification: (l) => (notify.add(l), () => notify.delete(l)),
    onTrayStatus: (l) => (tray.add(l), () => tray.delete(l)),
    trayStatus: () => status,
    offer(e) {
      policy.offer(e, now());
      schedule();
    },
    acknowledged(ids) {
      policy.forget(ids);
      schedule();
    },
    update(health, attention) {
      const next = trayStatus(health, attention);
      if (next.state === status.state && next.line === status.line) return;
      status = next;
      for (const l of tray) l(status);
    },
    close() {
      clearTimeout(timer);
    },
  };
}
