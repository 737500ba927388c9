import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, LicenseState } from '../../../shared/domain/index.js';
import {
  afterAttempt,
  licenseStateAt,
  newLicenseRecord,
  remainingMinutesAt,
} from '../../../src-main/client/license-machine.js';

const T0 = Date.UTC(2026, 0, 1);
const granted = { granted: true, activationIntervalMin: 120, renewalIntervalMin: 10_080, validityMin: 259_200 };
const fail = { at: T0, activated: false, code: 'X' };

describe('client license state machine', () => {
  it('is unlicensed with no record, then in initial grace for 30 days, then in notification', () => {
    expect(licenseStateAt(undefined, T0)).toBe(LicenseState.Unlicensed);
    const r = newLicenseRecord('p', T0);
    expect(licenseStateAt(r, T0)).toBe(LicenseState.InitialGrace);
    expect(remainingMinutesAt(r, T0)).toBe(30 * 24 * 60);
    expect(licenseStateAt(r, T0 + 30 * DAY_MS - 1)).toBe(LicenseState.InitialGrace);
    expect(licenseStateAt(r, T0 + 30 * DAY_MS)).toBe(LicenseState.Notification);
    expect(remainingMinutesAt(r, T0 + 31 * DAY_MS)).toBe(0);
  });

  it('retries every activation interval until licensed, then renews every renewal interval', () => {
    let r = newLicenseRecord('p', T0);
    r = afterAttempt(r, T0, fail, null);
    expect(r.nextAttemptAt).toBe(T0 + 2 * HOUR_MS);
    r = afterAttempt(r, T0 + 2 * HOUR_MS, { ...fail, at: T0 + 2 * HOUR_MS }, granted);
    expect(licenseStateAt(r, T0 + 2 * HOUR_MS)).toBe(LicenseState.Licensed);
    expect(r.validUntil).toBe(T0 + 2 * HOUR_MS + 180 * DAY_MS);
    expect(r.nextAttemptAt).toBe(T0 + 2 * HOUR_MS + 7 * DAY_MS);
  });

  it('goes licensed -> out-of-tolerance grace at 180 days -> notification 30 days later', () => {
    const r = afterAttempt(newLicenseRecord('p', T0), T0, fail, granted);
    expect(licenseStateAt(r, T0 + 180 * DAY_MS - 1)).toBe(LicenseState.Licensed);
    expect(licenseStateAt(r, T0 + 180 * DAY_MS)).toBe(LicenseState.OutOfToleranceGrace);
    expect(remainingMinutesAt(r, T0 + 180 * DAY_MS)).toBe(30 * 24 * 60);
    expect(licenseStateAt(r, T0 + 210 * DAY_MS)).toBe(LicenseState.Notification);
  });

  it('takes the host intervals from a reply that did not grant, and clamps out-of-range values', () => {
    let r = afterAttempt(newLicenseRecord('p', T0), T0, fail, {
      granted: false,
      activationIntervalMin: 30,
      renewalIntervalMin: 1440,
      validityMin: 259_200,
    });
    expect(r.intervalsFromHost).toBe(true);
    expect(r.nextAttemptAt).toBe(T0 + 30 * 60_000);
    expect(r.validUntil).toBeNull();
    r = afterAttempt(r, T0, fail, {
      granted: true,
      activationIntervalMin: 1,
      renewalIntervalMin: 999_999,
      validityMin: 10,
    });
    expect(r.activationIntervalMin).toBe(15);
    expect(r.renewalIntervalMin).toBe(43_200);
    expect(r.validUntil).toBe(T0 + 10 * 60_000);
  });

  it('keeps the last host intervals when no host answers', () => {
    let r = afterAttempt(newLicenseRecord('p', T0), T0, fail, { ...granted, activationIntervalMin: 60 });
    r = afterAttempt(r, T0 + DAY_MS, fail, null);
    expect(r.nextAttemptAt).toBe(T0 + DAY_MS + 60 * 60_000);
    expect(licenseStateAt(r, T0 + DAY_MS)).toBe(LicenseState.Licensed);
  });
});
