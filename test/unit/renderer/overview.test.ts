import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
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
          { threshold: 5, products: ['Quorum Server 3'], met: true, needed: 0, safeUntil: Date.UTC(2026, 11, 1) },
          { threshold: 25, products: ['Quorum Desktop 3'], met: false, needed: 2, safeUntil: null },
        ],
      },
    ],
    counters: { total: 40, failed: 3, byLicenseState: { '1': 30, '2': 10 } },
    startedAt: Date.UTC(2026, 10, 1),
    ...overrides,
  };
}

describe('Overview', () => {
  it('shows the count against each threshold and what is missing', () => {
    render(Overview, { props: { status: status() } });
    expect(screen.getByTestId('count').textContent).toBe('23');
    expect(screen.getByText('needs 2 more')).toBeTruthy();
    expect(screen.getByText('activating')).toBeTruthy();
    expect(screen.getByText('23 of 25')).toBeTruthy();
    expect(screen.getByTestId('requests-total').textContent).toBe('40');
    expect(screen.getByText('2 hours')).toBeTruthy();
    expect(screen.getByText('7 days')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why the host does not serve and what to do', () => {
    render(Overview, {
      props: {
        status: status({ serving: false, notServingReason: 'No host key is installed. Run: quorum key install KEY.' }),
      },
    });
    expect(screen.getByRole('alert').textContent).toContain('quorum key install');
  });
});
