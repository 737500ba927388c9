/**
 * The UPDATE a host sends: deletions name exact records only (class NONE), address records carry
 * prerequisites, and what is stored about the publish list is read back or refused as damaged.
 */
import { describe, expect, it } from 'vitest';
import { DnsClass } from '../../../src-main/dns/dns-wire.js';
import { handRecords } from '../../../src-main/dns/hand-records.js';
import { publishPlan, srvNameOf, withdrawPlan, type PublishedRecords } from '../../../src-main/dns/publish-records.js';
import { normaliseZone, readZones, readZoneState } from '../../../src-main/dns/publish-list.js';

const mine: PublishedRecords = {
  srvName: srvNameOf('office.test'),
  priority: 0,
  weight: 100,
  port: 1688,
  target: 'quorum1.office.test',
  ttl: 900,
  addresses: ['192.0.2.10', '2001:db8::10'],
};

describe('publishPlan', () => {
  it('first publish: adds, and requires the target to have no address records yet', () => {
    const plan = publishPlan(null, mine);
    expect(plan.updates.map((r) => [r.type, r.klass])).toEqual([
      ['SRV', DnsClass.IN],
      ['A', DnsClass.IN],
      ['AAAA', DnsClass.IN],
    ]);
    expect(plan.prerequisites).toEqual([
      { name: 'quorum1.office.test', type: 'A', klass: DnsClass.NONE, ttl: 0, data: null },
      { name: 'quorum1.office.test', type: 'AAAA', klass: DnsClass.NONE, ttl: 0, data: null },
    ]);
    // Once applied, the target holds exactly these: what a copy of the update that arrived twice finds.
    expect(plan.applied).toEqual([
      { name: 'quorum1.office.test', type: 'A', klass: DnsClass.IN, ttl: 0, data: '192.0.2.10' },
      { name: 'quorum1.office.test', type: 'AAAA', klass: DnsClass.IN, ttl: 0, data: '2001:db8::10' },
    ]);
  });

  it('a new port: deletes exactly the old SRV record, requires exactly the addresses it published', () => {
    const plan = publishPlan(mine, { ...mine, port: 1700, addresses: ['192.0.2.11'] });
    const deletions = plan.updates.filter((r) => r.klass === DnsClass.NONE);
    expect(deletions).toEqual([
      {
        name: mine.srvName,
        type: 'SRV',
        klass: DnsClass.NONE,
        ttl: 0,
        data: { priority: 0, weight: 100, port: 1688, target: mine.target },
      },
      { name: mine.target, type: 'A', klass: DnsClass.NONE, ttl: 0, data: '192.0.2.10' },
      { name: mine.target, type: 'AAAA', klass: DnsClass.NONE, ttl: 0, data: '2001:db8::10' },
    ]);
    // Value-dependent "RRset exists": the name holds exactly what this host put there.
    expect(plan.prerequisites).toEqual([
      { name: mine.target, type: 'A', klass: DnsClass.IN, ttl: 0, data: '192.0.2.10' },
      { name: mine.target, type: 'AAAA', klass: DnsClass.IN, ttl: 0, data: '2001:db8::10' },
    ]);
    // Applied, the target holds the new IPv4 address and no IPv6 one any more.
    expect(plan.applied).toEqual([
      { name: mine.target, type: 'A', klass: DnsClass.IN, ttl: 0, data: '192.0.2.11' },
      { name: mine.target, type: 'AAAA', klass: DnsClass.NONE, ttl: 0, data: null },
    ]);
    // Never a whole-name or whole-RRset deletion (class ANY).
    expect(plan.updates.some((r) => r.klass === DnsClass.ANY)).toBe(false);
  });

  it('withdraw deletes exactly what was published', () => {
    expect(withdrawPlan(mine).updates.every((r) => r.klass === DnsClass.NONE && r.data !== null)).toBe(true);
    expect(withdrawPlan(mine).updates).toHaveLength(3);
    // No prerequisites: sent twice, it fails nothing.
    expect(withdrawPlan(mine)).toMatchObject({ prerequisites: [], applied: [] });
  });
});

describe('hand records', () => {
  it('writes each format exactly for this host', () => {
    expect(handRecords('office.test', mine, 'bind')).toContain(
      '_quorum._tcp.office.test. 900 IN SRV 0 100 1688 quorum1.office.test.',
    );
    expect(handRecords('office.test', mine, 'powershell')).toContain(
      'Add-DnsServerResourceRecordAAAA -ZoneName "office.test" -Name "quorum1" -IPv6Address 2001:db8::10 -TimeToLive 00:15:00',
    );
    expect(handRecords('office.test', mine, 'dnsmasq')).toContain(
      'srv-host=_quorum._tcp.office.test,quorum1.office.test,1688,0,100',
    );
    expect(handRecords('office.test', mine, 'unbound')).toContain(
      'local-data: "quorum1.office.test. 900 IN A 192.0.2.10"',
    );
    expect(
      ['bind', 'powershell', 'dnsmasq', 'unbound'].map((f) => handRecords('office.test', mine, f as 'bind')).join(),
    ).not.toContain('_vlmcs');
  });
});

describe('the publish list in the settings', () => {
  const settings = (values: Record<string, string>) => ({ getSetting: (k: string) => values[k], setSetting: () => {} });

  it('refuses a damaged list with what to do, and forgets a damaged state', () => {
    expect(() => readZones(settings({ 'dns.zones': '{not json' }))).toThrow(
      expect.objectContaining({ code: 'DNS_SETTINGS_DAMAGED' }),
    );
    expect(() => readZones(settings({ 'dns.zones': '[{"zone":"x"}]' }))).toThrow(/publish list .* is damaged/);
    expect(readZoneState(settings({ 'dns.state.office.test': '[]' }), 'office.test')).toEqual({
      published: null,
      last: null,
      publishedAt: null,
    });
  });

  it('takes zone names as named.conf spells them, and never _vlmcs', () => {
    expect(normaliseZone(' Office.Test. ')).toBe('office.test');
    expect(() => normaliseZone('office')).toThrow(expect.objectContaining({ code: 'DNS_ZONE_INVALID' }));
    expect(() => normaliseZone('_vlmcs._tcp.office.test')).toThrow(
      /Microsoft KMS's service \(_vlmcs\), which Quorum never uses/,
    );
  });
});
