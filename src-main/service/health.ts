/**
 * The host's health as the console and the tray say it: serving, or not activating with the cause
 * and the one action that fixes it. ("Disconnected" is the console's own state: it cannot hear a host
 * that is down.) The causes are checked in the order an admin would fix them.
 */
import type { HealthView, HostKeyView } from '../../shared/ipc/views.js';

export interface HealthFacts {
  serving: boolean;
  hostKey: HostKeyView | null;
  /** Addresses the activation listener is bound to; none means clients cannot reach the host. */
  listening: string[];
  /** Why the database cannot be read or written, or null. */
  storeProblem: string | null;
}

export function healthOf(f: HealthFacts): HealthView {
  if (f.storeProblem !== null) {
    return {
      state: 'not-activating',
      cause: 'store-failing',
      reason: `The host's database is failing: ${f.storeProblem}`,
      action: 'Check the disk and the data directory (free space, permissions), then restart the host.',
      actionView: 'events',
    };
  }
  if (f.hostKey === null) {
    return {
      state: 'not-activating',
      cause: 'no-key',
      reason: 'No host key is installed, so the host refuses every client.',
      action: 'Install a host key and activate it (Keys view, or quorum key install KEY then quorum key activate).',
      actionView: 'keys',
    };
  }
  if (!f.serving || !f.hostKey.activated) {
    return {
      state: 'not-activating',
      cause: 'key-not-activated',
      reason: f.hostKey.pendingInstallationId
        ? `Host key ${f.hostKey.maskedKey} is waiting for its confirmation ID, so the host refuses every client.`
        : `Host key ${f.hostKey.maskedKey} is installed but not activated, so the host refuses every client.`,
      action: f.hostKey.pendingInstallationId
        ? 'Enter the confirmation ID (Keys view, or quorum key activate --confirmation CID).'
        : 'Activate the host key (Keys view, or quorum key activate).',
      actionView: 'keys',
    };
  }
  if (f.listening.length === 0) {
    return {
      state: 'not-activating',
      cause: 'listener-down',
      reason: 'The activation listener is not listening on any address, so no client can reach the host.',
      action: 'Check the listening port and addresses (another program on the port?), then restart the host.',
      actionView: 'settings',
    };
  }
  return { state: 'serving' };
}
