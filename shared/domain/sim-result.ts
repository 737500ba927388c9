/**
 * What a rehearsal produces: daily series per host and threshold group, the clients' license
 * states per day, requests per day and per hour, and the notable moments. This is the `--json`
 * output of `quorum simulate` and what the console's Rehearse view draws.
 */

export type MomentKind =
  | 'threshold-reached'
  | 'threshold-dropped'
  | 'all-retrying'
  | 'retrying-cleared'
  | 'first-out-of-tolerance'
  | 'first-notification'
  | 'clone-suspected'
  | 'host-down'
  | 'host-up'
  | 'event';

export interface Moment {
  at: number;
  /** Days since the start, with fractions (2.5 is noon on day 2). */
  day: number;
  kind: MomentKind;
  host?: string;
  /** "Operating systems ≥ 25" for threshold moments; the product group for client moments. */
  group?: string;
  count?: number;
  threshold?: number;
  /** For all-retrying: the activation interval the retrying clients use, in minutes. */
  intervalMin?: number;
  text: string;
}

export interface GroupSeries {
  host: string;
  applicationId: string;
  /** "Operating systems ≥ 25" */
  label: string;
  threshold: number;
  productNames: string[];
  /** The engine's count at the end of each day. */
  count: number[];
  /** Day the count first met the threshold, or null. */
  firstReachedDay: number | null;
  /** Day it first fell below the threshold after meeting it, or null. */
  firstBelowDay: number | null;
}

export interface HostSeries {
  name: string;
  priority: number;
  weight: number;
  /** Requests the host answered each day. */
  requests: number[];
  /** Of those, the ones not granted (count insufficient, key missing, product not covered). */
  failed: number[];
  /** Attempts that found the host down each day. */
  unreachable: number[];
  /** The engine's cumulative /dlv counters at the end, as quorum status shows them (its "failed" is not "not granted"). */
  totalRequests: number;
  totalFailed: number;
}

export interface ClientSeries {
  /** Clients present (started, not departed, not away) at the end of each day. */
  present: number[];
  activated: number[];
  grace: number[];
  unlicensed: number[];
  /** Whose last attempt was not activated: they retry at the activation interval. */
  retrying: number[];
  away: number[];
}

export interface SimResult {
  scenario: { name: string; description: string; days: number; seed: number; start: number };
  hosts: HostSeries[];
  groups: GroupSeries[];
  clients: ClientSeries;
  /** All hosts' answered requests per hour. */
  requestsPerHour: number[];
  peakHour: { at: number; day: number; requests: number };
  moments: Moment[];
  totals: { requests: number; failedAttempts: number; clients: number };
  /** Wall-clock run time and memory, for the planner's information. */
  run: { elapsedMs: number; heapUsedMb: number };
}
