import { describe, expect, it } from 'vitest';
import type { HealthView, HostEventView } from '../../../shared/ipc/views.js';
import { NotificationPolicy, trayStatus } from '../../../src-main/service/notification-policy.js';

let nextId = 1;
function event(overrides: Partial<HostEventView> = {}): HostEventView {
  return {
    id: nextId++,
    at: 0,
    lastAt: 0,
    occurrences: 1,
    severity: 'warning',
    kind: 'clone-suspected',
    message: 'A cloned image.',
    view: 'clients',
    acknowledgedAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

const options = { coalesceMs: 1_000, windowMs: 60_000, maxPerWindow: 2 };

describe('the notification policy', () => {
  it('never notifies routine information, nor what is acknowledged or resolved', () => {
    const p = new NotificationPolicy(options);
    p.offer(event({ severity: 'info' }), 0);
    p.offer(event({ acknowledgedAt: 1 }), 0);
    p.offer(event({ resolvedAt: 1 }), 0);
    expect(p.nextDueAt()).toBeNull();
    expect(p.due(10_000)).toBeNull();
  });

  it('coalesces what arrives together into one notification that opens the common view', () => {
    const p = new NotificationPolicy(options);
    p.offer(event({ message: 'first' }), 0);
    p.offer(event({ message: 'second' }), 500);
    expect(p.due(999)).toBeNull();
    const n = p.due(1_000);
    expect(n).toMatchObject({ title: 'Quorum: warning', view: 'clients', severity: 'warning' });
    expect(n?.body).toMatch(/^2 things need your attention\. second$/);
    expect(p.due(5_000)).toBeNull();
  });

  it('opens Events when the coalesced events are about different views', () => {
    const p = new NotificationPolicy(options);
    p.offer(event({ view: 'clients' }), 0);
    p.offer(event({ view: 'keys', severity: 'action' }), 0);
    expect(p.due(1_000)).toMatchObject({ view: 'events', severity: 'action', title: 'Quorum: action needed' });
  });

  it('notifies an episode once, and again only when its severity rises', () => {
    const p = new NotificationPolicy(options);
    const e = event();
    p.offer(e, 0);
    expect(p.due(1_000)?.eventIds).toEqual([e.id]);
    p.offer({ ...e, occurrences: 5, lastAt: 2_000 }, 2_000);
    expect(p.due(10_000)).toBeNull();
    p.offer({ ...e, severity: 'action' }, 20_000);
    expect(p.due(21_000)?.severity).toBe('action');
  });

  it('holds notifications beyond the rate limit and lets them out, coalesced, when the window allows', () => {
    const p = new NotificationPolicy(options);
    p.offer(event(), 0);
    expect(p.due(1_000)).not.toBeNull();
    p.offer(event(), 2_000);
    expect(p.due(3_000)).not.toBeNull();
    p.offer(event({ message: 'third' }), 4_000);
    p.offer(event({ message: 'fourth' }), 4_500);
    expect(p.nextDueAt()).toBe(61_000);
    expect(p.due(30_000)).toBeNull();
    expect(p.due(61_000)?.body).toMatch(/^2 things need your attention\. fourth$/);
  });

  it('drops what the admin acknowledged in the console before it was shown', () => {
    const p = new NotificationPolicy(options);
    const e = event();
    p.offer(e, 0);
    p.forget([e.id]);
    expect(p.due(5_000)).toBeNull();
  });
});

describe('the tray status', () => {
  const serving: HealthView = { state: 'serving' };
  it('is ok with nothing open', () => {
    expect(trayStatus(serving, [event({ severity: 'info' })])).toEqual({
      state: 'ok',
      line: 'Activating clients; nothing needs attention',
    });
  });
  it('asks for attention while a warning is open', () => {
    expect(trayStatus(serving, [event(), event({ acknowledgedAt: 5 })])).toEqual({
      state: 'attention',
      line: 'Activating clients; 1 event needs attention',
    });
  });
  it('says why the host does not activate, before anything else', () => {
    const down: HealthView = {
      state: 'not-activating',
      cause: 'no-key',
      reason: 'No host key is installed, so the host refuses every client.',
      action: 'Install one.',
      actionView: 'keys',
    };
    expect(trayStatus(down, [event()])).toEqual({
      state: 'not-activating',
      line: 'Not activating clients: No host key is installed, so the host refuses every client.',
    });
  });
});
