import { describe, expect, it } from 'vitest';
import { DAY_MS, LicenseState, ProductCatalog } from '../../../shared/domain/index.js';
import {
  buildStatusReport,
  formatMinutes,
  formatStatusReport,
  formatTime,
} from '../../../src-main/engine/status-report.js';
import { product, request, setup } from './fixtures.js';

const catalog = new ProductCatalog();
const server = product('server');

describe('quorum status report', () => {
  it('shows what slmgr /dlv shows plus counts against each threshold and the forecast', () => {
    const { engine, clock } = setup({ start: Date.UTC(2026, 0, 1, 8, 0) });
    for (let n = 1; n <= 6; n++) {
      engine.handle(request(server, n, { licenseState: n === 6 ? LicenseState.Licensed : LicenseState.InitialGrace }));
      clock.advance(DAY_MS);
    }
    const text = formatStatusReport(
      buildStatusReport(engine.status(), catalog, [{ label: 'Data directory', value: '/srv/quorum' }]),
    );
    expect(text).toContain('Quorum host status at 2026-01-07 08:00 UTC');
    expect(text).toMatch(/Service: +activating clients/);
    expect(text).toMatch(/Data directory: +\/srv\/quorum/);
    expect(text).toMatch(/Activation interval: +120 minutes \(2 hours\)/);
    expect(text).toMatch(/Renewal interval: +10080 minutes \(7 days\)/);
    expect(text).toMatch(/Validity: +180 days/);
    expect(text).toContain('Operating systems: current count 6 (cache holds up to 10 CMIDs)');
    expect(text).toContain(
      'threshold   5 (server, server-2): met; safe until 2026-02-01 08:00 UTC if no other client renews',
    );
    expect(text).toContain('threshold  25 (desktop, desktop-2): NOT met: 19 more clients needed');
    expect(text).toContain('Office suite: current count 0 (cache holds up to 0 CMIDs)');
    expect(text).toContain('threshold   5 (office, office-2): NOT met: 5 more clients needed');
    expect(text).toContain('  total 6, failed 0\n  by license state: licensed 1, initial grace 5');
    expect(text).toContain('  product server:\n    total 6, failed 0');
  });

  it('says plainly why the host is not serving', () => {
    const { engine } = setup();
    engine.setServingGate({ serving: false, reason: 'No host key is installed.' });
    const report = buildStatusReport(engine.status(), catalog);
    expect(report.serving).toBe(false);
    expect(report.notServingReason).toBe('No host key is installed.');
    expect(formatStatusReport(report)).toMatch(/Service: +NOT activating clients\. No host key is installed\./);
  });

  it('is plain JSON with product names for scripts', () => {
    const { engine } = setup();
    engine.handle(request(server, 1));
    const report = JSON.parse(JSON.stringify(buildStatusReport(engine.status(), catalog))) as ReturnType<
      typeof buildStatusReport
    >;
    const os = report.applications.find((a) => a.name === 'Operating systems')!;
    expect(os.thresholds[0]!.products.map((p) => p.name)).toEqual(['server', 'server-2']);
    expect(os.counters).toEqual({ total: 1, failed: 0, byLicenseState: { 2: 1 } });
  });

  it('formats durations and times', () => {
    expect(formatMinutes(15)).toBe('15 minutes');
    expect(formatMinutes(60)).toBe('1 hour');
    expect(formatMinutes(1440)).toBe('1 day');
    expect(formatMinutes(43_200)).toBe('30 days');
    expect(formatTime(null)).toBe('never');
    expect(formatTime(Date.UTC(2026, 1, 3, 4, 5, 6))).toBe('2026-02-03 04:05 UTC');
  });
});
