/**
 * The TTLs of SRV records, which Node's resolver does not report: one plain query with
 * dns-packet to the server a check uses (or the system's first resolver). Best effort: a check
 * still reports the records when this fails, with the TTL unknown.
 */
import { getServers } from 'node:dns';
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import { parseHostAddress, type HostAddress } from './host-address.js';
import { exchangeUdp } from './update-transport.js';

export interface SrvWithTtl {
  target: string;
  port: number;
  priority: number;
  weight: number;
  ttl: number;
}

function systemServer(): HostAddress | null {
  const first = getServers()[0];
  return first ? parseHostAddress(first, 53, 'the system resolver') : null;
}

export async function srvTtls(name: string, dnsServer: string | undefined, timeoutMs = 1500): Promise<SrvWithTtl[]> {
  const server = dnsServer ? parseHostAddress(dnsServer, 53, '--dns-server') : systemServer();
  if (!server) return [];
  const id = randomInt(0, 0x10000);
  const query = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'SRV', name, class: 'IN' }],
  });
  // One copy: a lost answer only leaves the TTLs unknown.
  const answer = await exchangeUdp(server, query, timeoutMs, 1).then(
    (r) => r.answer,
    () => null,
  );
  if (!answer) return [];
  try {
    return (
      dnsPacket
        .decode(answer)
        .answers?.filter((a) => a.type === 'SRV')
        .map((a) => {
          const d = a.data as { target: string; port: number; priority: number; weight: number };
          return {
            target: d.target.replace(/\.$/, ''),
            port: d.port,
            priority: d.priority,
            weight: d.weight,
            ttl: a.ttl ?? 0,
          };
        }) ?? []
    );
  } catch {
    return [];
  }
}
