/**
 * What the console knows of the host, shared by every view: the status (and when it was last
 * heard), the stored events, and the health in the three words the console uses. Views read it;
 * App.svelte keeps it current.
 */
import type { ConsoleViewId, HostEventView, HostStatusView } from '../../../shared/ipc/views.js';
import { api, ApiError, connection } from './api.svelte.js';

export const hostState = $state<{
  status: HostStatusView | null;
  /** When the status was last received: the "as of" of stale data. */
  statusAt: number | null;
  events: HostEventView[];
  error: string | null;
}>({ status: null, statusAt: null, events: [], error: null });

export async function refreshHost(): Promise<void> {
  try {
    const [status, events] = await Promise.all([api.hostStatus({}), api.hostEvents({})]);
    hostState.status = status;
    hostState.statusAt = Date.now();
    hostState.events = events;
    hostState.error = null;
  } catch (e) {
    hostState.error = e instanceof ApiError ? e.message : String(e);
  }
}

export function takeStatus(status: HostStatusView): void {
  hostState.status = status;
  hostState.statusAt = Date.now();
}

/** A new event, or a stored one that changed (grew, acknowledged, resolved). */
export function takeEvent(e: HostEventView): void {
  hostState.events = [e, ...hostState.events.filter((x) => x.id !== e.id)].sort((a, b) => b.id - a.id).slice(0, 700);
}

export function needsAttention(e: HostEventView): boolean {
  return e.severity !== 'info' && e.acknowledgedAt === null && e.resolvedAt === null;
}

export interface DisplayHealth {
  state: 'serving' | 'not-activating' | 'disconnected' | 'connecting';
  /** The pill's word. */
  word: string;
  reason?: string;
  action?: string;
  actionView?: ConsoleViewId;
}

export function displayHealth(): DisplayHealth {
  if (connection.state === 'connecting' && hostState.status === null)
    return { state: 'connecting', word: 'Connecting…' };
  if (connection.state !== 'open') {
    return {
      state: 'disconnected',
      word: connection.state === 'refused' ? 'Refused' : 'Disconnected',
      reason: connection.reason ?? 'The console lost its connection to the host; it retries on its own.',
    };
  }
  const h = hostState.status?.health;
  if (!h) return { state: 'connecting', word: 'Connecting…' };
  if (h.state === 'serving') return { state: 'serving', word: 'Serving' };
  return {
    state: 'not-activating',
    word: 'Not activating',
    reason: h.reason,
    action: h.action,
    actionView: h.actionView,
  };
}
