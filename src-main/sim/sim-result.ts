/** The rehearsal's result types (shared with the console) and the day arithmetic of its series. */
export type {
  ClientSeries,
  GroupSeries,
  HostSeries,
  Moment,
  MomentKind,
  SimResult,
} from '../../shared/domain/sim-result.js';

export const DAY_FRACTION_DIGITS = 3;

export function dayOf(at: number, start: number): number {
  return Number(((at - start) / 86_400_000).toFixed(DAY_FRACTION_DIGITS));
}
