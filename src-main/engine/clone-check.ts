/**
 * Cloned images that were not generalised share one CMID, so the count never rises and admins find
 * it hard to see why (docs/model.md). A CMID reported under another machine name is a clone. A CMID
 * reported from another address under the same name is one only when the two sightings are closer
 * than one retry interval: a single machine that moved (DHCP, VPN, Wi-Fi to cable) rarely asks
 * twice that fast, while clones in grace each retry every interval. A CMID is reported at most once
 * a day, so clones retrying every two hours do not flood the console and the tray.
 */
import { DAY_MS } from '../../shared/domain/timings.js';
import type { PreviousSighting } from './cmid-table.js';

export const CLONE_REPORT_INTERVAL_MS = DAY_MS;

export interface CloneEvidence {
  machineNames: string[];
  addresses: string[];
  seenAt: number[];
}

export function checkClone(
  previous: PreviousSighting | null,
  current: { machineName: string; address: string; at: number },
  addressWindowMs: number,
): CloneEvidence | null {
  if (!previous) return null;
  if (previous.cloneReportedAt > 0 && current.at - previous.cloneReportedAt < CLONE_REPORT_INTERVAL_MS) return null;
  const otherName = previous.machineName.toLowerCase() !== current.machineName.toLowerCase();
  const otherAddress =
    previous.address !== current.address && Math.abs(current.at - previous.lastSeen) < addressWindowMs;
  if (!otherName && !otherAddress) return null;
  return {
    machineNames: unique([previous.machineName, current.machineName]),
    addresses: unique([previous.address, current.address]),
    seenAt: [previous.lastSeen, current.at],
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
