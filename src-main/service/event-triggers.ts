/**
 * What the host's state and the engine's events raise in the console's event log, as pure
 * functions: facts in, triggers out (raise an episode, or end one). The watch service applies them
 * to the stored log; the tests call them directly.
 */
import { DAY_MS } from '../../shared/domain/timings.js';
import type { HealthView, HostKeyView } from '../../shared/ipc/views.js';
import { formatTime } from '../engine/status-report.js';
import type { RaisedEvent } from './event-log.js';

/** How far ahead a met threshold's forecast warns that the count will fall below it. */
export const FORECAST_WARNING_MS = 7 * DAY_MS;

export type Trigger = { raise: RaisedEvent } | { resolve: string };

/** One threshold of an application, reduced to the products the host key covers. */
export interface CoveredThreshold {
  applicationId: string;
  applicationName: string;
  threshold: number;
  /** Display names of the covered products; a group with none is never reported. */
  products: string[];
  count: number;
  met: boolean;
  safeUntil: number | null;
}

export interface WatchFacts {
  at: number;
  health: HealthView;
  hostKey: HostKeyView | null;
  thresholds: CoveredThreshold[];
}

const HEALTH_CAUSES = ['no-key', 'key-not-activated', 'listener-down', 'store-failing'] as const;

function healthKind(cause: (typeof HEALTH_CAUSES)[number]): RaisedEvent['kind'] {
  return cause === 'listener-down' ? 'listener-down' : cause === 'store-failing' ? 'store-failing' : 'not-activating';
}

/**
 * Conditions are re-checked on every call and kept as open episodes, so a restart neither loses
 * nor repeats them; `prev` (null after a start) only tells edges such as "activating again".
 * `wasRaised` says whether a once-only event (a reactivation spent) is already in the log.
 */
export function statusTriggers(
  prev: WatchFacts | null,
  next: WatchFacts,
  wasRaised: (key: string) => boolean,
): Trigger[] {
  const out: Trigger[] = [];
  const h = next.health;
  for (const cause of HEALTH_CAUSES) {
    if (h.state === 'not-activating' && h.cause === cause) {
      out.push({
        raise: {
          kind: healthKind(cause),
          severity: 'action',
          key: `health:${cause}`,
          message: `The host is not activating clients. ${h.reason} ${h.action}`,
          view: h.actionView,
          endsOn: 'resolve',
        },
      });
    } else out.push({ resolve: `health:${cause}` });
  }
  if (h.state === 'serving' && prev !== null && prev.health.state !== 'serving') {
    out.push({
      raise: {
        kind: 'activating',
        severity: 'info',
        key: `activating:${next.at}`,
        message: 'The host activates clients again.',
        view: 'overview',
        endsOn: 'acknowledge',
      },
    });
  }
  if (h.state === 'serving') out.push(...forecastTriggers(next));
  else for (const t of next.thresholds) out.push({ resolve: forecastKey(t) });
  out.push(...limitTriggers(next.hostKey, wasRaised));
  return out;
}

function forecastKey(t: CoveredThreshold): string {
  return `forecast:${t.applicationId}:${t.threshold}`;
}

function forecastTriggers(f: WatchFacts): Trigger[] {
  return f.thresholds.map((t): Trigger => {
    if (!t.met || t.safeUntil === null || t.safeUntil - f.at >= FORECAST_WARNING_MS) return { resolve: forecastKey(t) };
    const days = Math.max(0, Math.ceil((t.safeUntil - f.at) / DAY_MS));
    return {
      raise: {
        kind: 'forecast-below',
        severity: 'warning',
        key: forecastKey(t),
        message: `${t.applicationName}: unless more clients renew, the count falls below ${t.threshold} on ${formatTime(t.safeUntil)} (within ${days} day${days === 1 ? '' : 's'}), and ${t.products.join(', ')} clients stop being activated. Check that clients can still reach the host.`,
        view: 'overview',
        endsOn: 'resolve',
      },
    };
  });
}

/** Near: one host, or one reactivation, left. At: none left. */
function limitTriggers(k: HostKeyView | null, wasRaised: (key: string) => boolean): Trigger[] {
  const out: Trigger[] = [];
  const hostsUsed = k?.activated ? k.hostsUsed : null;
  const used = k?.activated ? k.activationNumber : null;
  const level = (n: number | null, limit: number) =>
    n === null ? null : n >= limit ? 'at' : n >= limit - 1 ? 'near' : null;
  const hosts = k ? level(hostsUsed, k.hostsLimit) : null;
  const acts = k ? level(used, k.activationsLimit) : null;
  for (const l of ['near', 'at'] as const) {
    if (k && hosts === l) {
      out.push({
        raise: {
          kind: 'hosts-limit',
          severity: l === 'at' ? 'action' : 'warning',
          key: `hosts-limit:${k.maskedKey}:${l}`,
          message:
            l === 'at'
              ? `Host key ${k.maskedKey} has activated ${hostsUsed} of ${k.hostsLimit} hosts (as of this host's activation): no other host can be activated with it. Ask the authority for another key before adding a host.`
              : `Host key ${k.maskedKey} has activated ${hostsUsed} of ${k.hostsLimit} hosts (as of this host's activation): one more host can be activated with it.`,
          view: 'keys',
          endsOn: 'resolve',
        },
      });
    } else out.push({ resolve: `hosts-limit:${k?.maskedKey ?? ''}:${l}` });
    if (k && acts === l) {
      out.push({
        raise: {
          kind: 'activations-limit',
          severity: l === 'at' ? 'action' : 'warning',
          key: `activations-limit:${k.maskedKey}:${l}`,
          message:
            l === 'at'
              ? `This host has used activation ${used} of ${k.activationsLimit}: no reactivation is left. Reinstalling or moving the host will need a new key.`
              : `This host has used activation ${used} of ${k.activationsLimit}: one reactivation is left. Keep it for a disk replacement or a move.`,
          view: 'keys',
          endsOn: 'resolve',
        },
      });
    } else out.push({ resolve: `activations-limit:${k?.maskedKey ?? ''}:${l}` });
  }
  if (k?.activated && used !== null && used > 1) {
    const key = `reactivation:${k.maskedKey}:${used}`;
    if (!wasRaised(key)) {
      out.push({
        raise: {
          kind: 'reactivation-spent',
          severity: 'warning',
          key,
          message: `Host key ${k.maskedKey} was reactivated on this host: activation ${used} of ${k.activationsLimit}, ${k.activationsLimit - used} reactivation${k.activationsLimit - used === 1 ? '' : 's'} left.`,
          view: 'keys',
          endsOn: 'acknowledge',
        },
      });
    }
  }
  return out;
}

/** A crossing of a threshold as the engine reports it, with the products named by coverage. */
export interface ThresholdCrossing {
  applicationId: string;
  applicationName: string;
  threshold: number;
  count: number;
  direction: 'up' | 'down';
  at: number;
  /** Display names of the products of the group the host key covers. */
  coveredProducts: string[];
}

/**
 * A crossing only matters for the products the key covers: a desktop-only key reaching the
 * server threshold activates no server, so it raises nothing.
 */
export function thresholdTriggers(c: ThresholdCrossing): Trigger[] {
  if (c.coveredProducts.length === 0) return [];
  const group = `${c.applicationId}:${c.threshold}`;
  const names = c.coveredProducts.join(', ');
  if (c.direction === 'up') {
    return [
      { resolve: `threshold-down:${group}` },
      {
        raise: {
          kind: 'threshold-up',
          severity: 'info',
          key: `threshold-up:${group}:${c.at}`,
          message: `${c.applicationName}: the count reached ${c.count} of ${c.threshold}; ${names} clients are now activated.`,
          view: 'overview',
          endsOn: 'acknowledge',
        },
      },
    ];
  }
  return [
    {
      raise: {
        kind: 'threshold-down',
        severity: 'warning',
        key: `threshold-down:${group}`,
        message: `${c.applicationName}: the count fell to ${c.count}, below ${c.threshold}; ${names} clients are no longer activated until ${c.threshold - c.count} more renew or join.`,
        view: 'overview',
        endsOn: 'resolve',
      },
    },
  ];
}

/** One episode per application: more cloned CMIDs while it is open add occurrences, not rows. */
export function cloneTrigger(e: {
  applicationId: string;
  applicationName: string;
  cmid: string;
  machineNames: string[];
  addresses: string[];
}): Trigger {
  return {
    raise: {
      kind: 'clone-suspected',
      severity: 'warning',
      key: `clone:${e.applicationId}`,
      message: `${e.applicationName}: one client ID (CMID ${e.cmid}) is used by ${e.machineNames.join(', ')} (${e.addresses.join(', ')}): these machines were probably cloned from an image that was not generalised, so they count once. Generalise the image and give each machine a new CMID.`,
      view: 'clients',
      endsOn: 'acknowledge',
    },
  };
}

/** One episode per product the key does not cover, until acknowledged. */
export function notCoveredTrigger(e: { productId: string; productName: string; coverage: string }): Trigger {
  return {
    raise: {
      kind: 'product-not-covered',
      severity: 'warning',
      key: `not-covered:${e.productId}`,
      message: `Clients ask for ${e.productName}, which the host key (${e.coverage}) does not cover: the host refuses them. Install a key that covers it, or point those clients at another host.`,
      view: 'clients',
      endsOn: 'acknowledge',
    },
  };
}
