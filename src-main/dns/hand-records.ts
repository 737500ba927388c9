/**
 * The records this host would publish, written for the DNS servers people publish them on by
 * hand: a BIND zone file, Windows DNS (PowerShell: its secure updates are GSS-TSIG, which Quorum
 * does not speak), dnsmasq and Unbound. Exact for this host: its port, target, priority, weight.
 */
import { isIP } from 'node:net';
import type { PublishedRecords } from './publish-records.js';

export const HAND_FORMATS = ['bind', 'powershell', 'dnsmasq', 'unbound'] as const;
export type HandFormat = (typeof HAND_FORMATS)[number];

function relative(name: string, zone: string): string {
  return name === zone ? '@' : name.endsWith(`.${zone}`) ? name.slice(0, -zone.length - 1) : `${name}.`;
}

function timeSpan(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(seconds / 86_400);
  const rest = seconds % 86_400;
  const hms = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return days > 0 ? `${days}.${hms}` : hms;
}

export function handRecords(zone: string, r: PublishedRecords, format: HandFormat): string {
  const srvRdata = `${r.priority} ${r.weight} ${r.port} ${r.target}.`;
  const typeOf = (ip: string) => (isIP(ip) === 6 ? 'AAAA' : 'A');
  switch (format) {
    case 'bind':
      return [
        `; in the zone file of ${zone}`,
        `${r.srvName}. ${r.ttl} IN SRV ${srvRdata}`,
        ...r.addresses.map((ip) => `${r.target}. ${r.ttl} IN ${typeOf(ip)} ${ip}`),
      ].join('\n');
    case 'powershell': {
      const ttl = timeSpan(r.ttl);
      return [
        `# on the Windows DNS server (or with -ComputerName), as a DNS administrator`,
        `Add-DnsServerResourceRecord -ZoneName "${zone}" -Name "${relative(r.srvName, zone)}" -Srv -DomainName "${r.target}" -Priority ${r.priority} -Weight ${r.weight} -Port ${r.port} -TimeToLive ${ttl}`,
        ...r.addresses.map((ip) =>
          isIP(ip) === 6
            ? `Add-DnsServerResourceRecordAAAA -ZoneName "${zone}" -Name "${relative(r.target, zone)}" -IPv6Address ${ip} -TimeToLive ${ttl}`
            : `Add-DnsServerResourceRecordA -ZoneName "${zone}" -Name "${relative(r.target, zone)}" -IPv4Address ${ip} -TimeToLive ${ttl}`,
        ),
      ].join('\n');
    }
    case 'dnsmasq':
      return [
        `# in dnsmasq.conf (or a file in /etc/dnsmasq.d/); dnsmasq serves its own TTL`,
        `srv-host=${r.srvName},${r.target},${r.port},${r.priority},${r.weight}`,
        ...r.addresses.map((ip) => `host-record=${r.target},${ip}`),
      ].join('\n');
    case 'unbound':
      return [
        `# in unbound.conf, under server:`,
        `local-data: "${r.srvName}. ${r.ttl} IN SRV ${srvRdata}"`,
        ...r.addresses.map((ip) => `local-data: "${r.target}. ${r.ttl} IN ${typeOf(ip)} ${ip}"`),
      ].join('\n');
  }
}
