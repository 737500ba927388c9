import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

// jsdom has no matchMedia, which the chart library reads as it loads.
vi.hoisted(() => {
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList;
});
import Overview from '../../../src-renderer/src/views/Overview.svelte';
import type { HostStatusView } from '../../../shared/ipc/views.js';

function status(overrides: Partial<HostStatusView> = {}): HostStatusView {
  return {
    serving: true,
    notServingReason: null,
    hostId: 'QH-0000-1111-2222-3333',
    fingerprint: 'ab'.repeat(32),
    listening: ['127.0.0.1:1688'],
    activationIntervalMin: 120,
    renewalIntervalMin: 10_080,
    applications: [
      {
        applicationId: 'os',
        name: 'Operating systems',
        count: 23,
        capacity: 50,
        thresholds: [
          {
            threshold: 5,
            products: ['Quorum Server 3'],
            met: true,
            needed: 0,
            safeUntil: Date.UTC(2026, 11, 1),
            uncovered: [],
          },
          { threshold: 25, products: ['Quorum Desktop 3'], met: false, needed: 2, safeUntil: null, uncovered: [] },
        ],
      },
    ],
    counters: { total: 40, failed: 3, byLicenseState: { '1': 30, '2': 10 } },
    startedAt: Date.UTC(2026, 10, 1),
    hostKey: {
      maskedKey: '*****-*****-*****-*****-2E7F6',
      covers: 'server and desktop, generations 1 to 3',
      activated: true,
      method: 'online',
      activatedAt: Date.UTC(2026, 10, 1),
      hostsUsed: 3,
      hostsLimit: 6,
      activationNumber: 2,
      activationsLimit: 10,
      pendingInstallationId: null,
    },
    health: { state: 'serving' },
    ...overrides,
  };
}

// Each test renders its own Overview; the previous one must not linger in the document.
afterEach(() => cleanup());

describe('Overview', () => {
  it('shows the count against each threshold and what is missing', () => {
    render(Overview, { props: { status: status(), history: [] } });
    expect(screen.getByTestId('count').textContent).toBe('23');
    expect(screen.getByText('needs 2 more')).toBeTruthy();
    expect(screen.getByText('activating')).toBeTruthy();
    expect(screen.getByText('23 of 25')).toBeTruthy();
    expect(screen.getByTestId('requests-total').textContent).toBe('40');
    expect(screen.getByText('2 hours')).toBeTruthy();
    expect(screen.getByText('7 days')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why the host does not serve and what fixes it, and asks for no more clients meanwhile', () => {
    render(Overview, {
      props: {
        status: status({
          serving: false,
          notServingReason: 'No host key is installed.',
          hostKey: null,
          health: {
            state: 'not-activating',
            cause: 'no-key',
            reason: 'No host key is installed, so the host refuses every client.',
            action: 'Install a host key and activate it (quorum key install KEY).',
            actionView: 'keys',
          },
        }),
      },
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('refuses every client');
    expect(alert.textContent).toContain('To fix: Install a host key');
    expect(screen.queryByText('needs 2 more')).toBeNull();
    expect(screen.getAllByText('not activating (see above)')).toHaveLength(2);
  });

  it('shows the host key, what it covers and its limits used', () => {
    render(Overview, { props: { status: status(), history: [] } });
    const card = screen.getByTestId('host-key');
    expect(card.textContent).toContain('*****-*****-*****-*****-2E7F6');
    expect(card.textContent).toContain('server and desktop, generations 1 to 3');
    expect(screen.getByTestId('hosts-used').textContent).toBe('3 of 6');
    expect(screen.getByTestId('activations-used').textContent).toMatch(
      /^\s*2 of 10\s+\(the first plus 9 reactivations\)\s*$/,
    );
  });

  it('says what to run when no key is installed, and when a confirmation ID is awaited', () => {
    render(Overview, { props: { status: status({ hostKey: null }), history: [] } });
    expect(screen.getByTestId('host-key').textContent).toContain('quorum key install KEY');
    cleanup();
    render(Overview, {
      props: {
        status: status({
          hostKey: {
            ...status().hostKey!,
            activated: false,
            method: null,
            activatedAt: null,
            hostsUsed: null,
            activationNumber: null,
            pendingInstallationId: '123456-123456',
          },
        }),
      },
    });
    expect(screen.getByTestId('host-key').textContent).toContain('waiting for a confirmation ID');
    expect(screen.queryByTestId('hosts-used')).toBeNull();
  });

  it('does not ask for more clients for products the host key does not cover', () => {
    const app = status().applications[0]!;
    render(Overview, {
      props: {
        status: status({
          applications: [
            {
              ...app,
              thresholds: [
                { ...app.thresholds[0]!, met: false, needed: 5, uncovered: ['Quorum Server 3'] },
                {
                  ...app.thresholds[1]!,
                  products: ['Quorum Desktop 3', 'Quorum Desktop 2'],
                  uncovered: ['Quorum Desktop 3'],
                },
              ],
            },
          ],
        }),
      },
    });
    expect(screen.getByText('not covered by the host key')).toBeTruthy();
    expect(screen.queryByText('needs 5 more')).toBeNull();
    // A line partly covered still counts towards its covered products and names the others.
    expect(screen.getByText('needs 2 more')).toBeTruthy();
    expect(screen.getByText('not covered by the host key: Quorum Desktop 3')).toBeTruthy();
  });
});

describe('Overview: Host card', () => {
  function stubClipboard(writeText: (text: string) => Promise<void>): void {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  }

  it('shows the host id and the whole fingerprint, and copies the fingerprint', async () => {
    const copied: string[] = [];
    stubClipboard(async (text) => {
      copied.push(text);
    });
    render(Overview, { props: { status: status() } });
    const card = screen.getByTestId('host-card');
    expect(screen.getByTestId('host-id').textContent).toBe('QH-0000-1111-2222-3333');
    expect(screen.getByTestId('host-fingerprint').textContent).toBe('ab'.repeat(32));
    expect(card.textContent).toContain('--pin');
    await fireEvent.click(screen.getByRole('button', { name: 'Copy fingerprint' }));
    expect(copied).toEqual(['ab'.repeat(32)]);
    expect(screen.getByRole('status').textContent).toBe('Fingerprint copied.');
  });

  it('says what to do when the browser refuses to copy', async () => {
    stubClipboard(() => Promise.reject(new Error('denied')));
    render(Overview, { props: { status: status() } });
    await fireEvent.click(screen.getByRole('button', { name: 'Copy fingerprint' }));
    expect(screen.getByRole('status').textContent).toContain('copy it by hand');
  });
});
