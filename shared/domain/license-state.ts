/** License states a client reports (docs/model.md, "Client timings"). The numbers are on the wire. */
export const LicenseState = {
  Unlicensed: 0,
  Licensed: 1,
  InitialGrace: 2,
  OutOfToleranceGrace: 3,
  NonGenuineGrace: 4,
  Notification: 5,
  ExtendedGrace: 6,
} as const;

export type LicenseState = (typeof LicenseState)[keyof typeof LicenseState];

export const LICENSE_STATE_NAMES: Readonly<Record<LicenseState, string>> = {
  0: 'unlicensed',
  1: 'licensed',
  2: 'initial grace',
  3: 'out-of-tolerance grace',
  4: 'non-genuine grace',
  5: 'notification',
  6: 'extended grace',
};

export function isLicenseState(value: number): value is LicenseState {
  return Number.isInteger(value) && value >= 0 && value <= 6;
}
