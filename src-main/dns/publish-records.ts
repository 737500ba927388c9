/**
 * What one host publishes in one zone, and the UPDATE that moves the zone from what it published
 * before to what it publishes now. Every deletion names one exact record (class NONE, RFC 2136
 * section 2.5.4), never a whole name or RRset, so the SRV records of the other hosts in the same
 * RRset are never touched; address records are only added where the name has none, or exactly
 * the ones this host put there (prerequisites, section 2.4), so a host never takes over a name
 * another machine uses.
 */
import { isIP } from 'node:net';
import type { DnsPublishedView } from '../../shared/ipc/dns-channels.js';
import { DnsClass, type WireRecord } from './dns-wire.js';

export const SERVICE_LABEL = '_quorum._tcp';

/** What one host publishes in one zone: its SRV record and, where asked, the target's addresses. */
export type PublishedRecords = DnsPublishedView;

export function srvNameOf(zone: string): string {
  return `${SERVICE_LABEL}.${zone.replace(/\.$/, '')}`;
}

function srv(r: PublishedRecords, klass: number, ttl: number): WireRecord {
  return {
    name: r.srvName,
    type: 'SRV',
    klass,
    ttl,
    data: { priority: r.priority, weight: r.weight, port: r.port, target: r.target },
  };
}

function address(name: string, ip: string, klass: number, ttl: number): WireRecord {
  return { name, type: isIP(ip) === 6 ? 'AAAA' : 'A', klass, ttl, data: ip };
}

function sameSrv(a: PublishedRecords, b: PublishedRecords): boolean {
  return (
    a.srvName === b.srvName &&
    a.priority === b.priority &&
    a.weight === b.weight &&
    a.port === b.port &&
    a.target.toLowerCase() === b.target.toLowerCase()
  );
}

export function sameRecords(a: PublishedRecords | null, b: PublishedRecords | null): boolean {
  if (a === null || b === null) return a === b;
  return sameSrv(a, b) && a.ttl === b.ttl && [...a.addresses].sort().join(',') === [...b.addresses].sort().join(',');
}

/**
 * Prerequisites for the address records at `name`: per family, exactly what this host published
 * there before (value-dependent "RRset exists"), or "RRset does not exist" when it published none.
 */
function addressPrerequisites(name: string, previous: PublishedRecords | null, families: Set<4 | 6>): WireRecord[] {
  const out: WireRecord[] = [];
  const mine = previous && previous.target.toLowerCase() === name.toLowerCase() ? previous.addresses : ([] as string[]);
  for (const family of families) {
    const type = family === 6 ? 'AAAA' : 'A';
    const held = mine.filter((ip) => isIP(ip) === family);
    if (held.length === 0) out.push({ name, type, klass: DnsClass.NONE, ttl: 0, data: null });
    else out.push(...held.map((ip) => address(name, ip, DnsClass.IN, 0)));
  }
  return out;
}

export interface UpdatePlan {
  prerequisites: WireRecord[];
  updates: WireRecord[];
  /**
   * The same prerequisites as they stand once the update is applied (the target holds exactly
   * `next`'s addresses): what tells an update applied twice from a conflict (update-client.ts).
   */
  applied: WireRecord[];
}

/** From `previous` (what this host published, or null) to `next`. */
export function publishPlan(previous: PublishedRecords | null, next: PublishedRecords): UpdatePlan {
  const updates: WireRecord[] = [];
  const prerequisites: WireRecord[] = [];
  const applied: WireRecord[] = [];
  if (previous && !sameSrv(previous, next)) updates.push(srv(previous, DnsClass.NONE, 0));
  const oldAddresses = previous?.addresses ?? [];
  const moved = previous !== null && previous.target.toLowerCase() !== next.target.toLowerCase();
  for (const ip of oldAddresses) {
    if (moved || !next.addresses.includes(ip)) updates.push(address(previous!.target, ip, DnsClass.NONE, 0));
  }
  updates.push(srv(next, DnsClass.IN, next.ttl));
  for (const ip of next.addresses) updates.push(address(next.target, ip, DnsClass.IN, next.ttl));
  const families = new Set(next.addresses.map((ip) => (isIP(ip) === 6 ? 6 : 4) as 4 | 6));
  if (previous && previous.addresses.length > 0) {
    for (const ip of previous.addresses) families.add(isIP(ip) === 6 ? 6 : 4);
  }
  if (families.size > 0 && !moved) {
    prerequisites.push(...addressPrerequisites(next.target, previous, families));
    applied.push(...addressPrerequisites(next.target, next, families));
  }
  if (moved && next.addresses.length > 0) {
    const nextFamilies = new Set(next.addresses.map((ip) => (isIP(ip) === 6 ? 6 : 4) as 4 | 6));
    prerequisites.push(...addressPrerequisites(next.target, null, nextFamilies));
    applied.push(...addressPrerequisites(next.target, next, nextFamilies));
  }
  return { prerequisites, updates, applied };
}

/** Deletes exactly the records in `published`; nothing else at those names changes. */
export function withdrawPlan(published: PublishedRecords): UpdatePlan {
  return {
    prerequisites: [],
    applied: [],
    updates: [
      srv(published, DnsClass.NONE, 0),
      ...published.addresses.map((ip) => address(published.target, ip, DnsClass.NONE, 0)),
    ],
  };
}
