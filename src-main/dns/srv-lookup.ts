/**
 * Client-side discovery: reads `_quorum._tcp.<domain>` SRV records from the system resolver or
 * from a server a person names (--dns-server), and resolves SRV targets through that same server
 * (net.connect would otherwise ask the system resolver, which may not know the names).
 */
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { QuorumError } from '../../shared/domain/errors.js';
import { formatHostAddress, parseHostAddress, type HostAddress } from './host-address.js';
import type { SrvTarget } from './srv-select.js';

export const DEFAULT_SERVICE_NAME = '_quorum._tcp';

export interface SrvLookupOptions {
  /** "ADDR[:PORT]" of the DNS server to ask; the system's resolvers when absent. */
  dnsServer?: string;
  /** Per-query timeout. */
  timeoutMs?: number;
}

export interface SrvLookup {
  /** SRV records of `<service>.<domain>`; [] when the name has none. Throws CLIENT_DNS_FAILED when DNS fails. */
  srv(queryName: string): Promise<SrvTarget[]>;
  /** Addresses of an SRV target name (A then AAAA); [] when it has none. */
  addresses(name: string): Promise<string[]>;
  /** What to say in messages: "127.0.0.1:5353" or "the system resolver". */
  readonly serverLabel: string;
}

/** Errors that mean "this name has no such records" rather than "DNS did not work". */
const NO_DATA = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'NOTFOUND', 'NODATA']);

const DNS_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'nothing answers there (connection refused)',
  ETIMEOUT: 'no answer in time',
  EREFUSED: 'the server refused the query (it does not serve this domain and does not recurse for this machine)',
  ESERVFAIL: 'the server failed to answer (SERVFAIL)',
  EBADRESP: 'the answer was malformed',
};

export function queryNameOf(serviceName: string, domain: string): string {
  return `${serviceName.replace(/\.$/, '')}.${domain.replace(/\.$/, '')}`;
}

export function createSrvLookup(options: SrvLookupOptions = {}): SrvLookup {
  const timeout = options.timeoutMs ?? 3000;
  const resolver = new dns.Resolver({ timeout, tries: 2 });
  let serverLabel = 'the system resolver';
  let server: HostAddress | undefined;
  if (options.dnsServer !== undefined) {
    server = parseHostAddress(options.dnsServer, 53, '--dns-server');
    if (isIP(server.host) === 0) {
      throw new QuorumError(
        'CLIENT_BAD_ADDRESS',
        `--dns-server "${options.dnsServer}" must be an IP address, not a name.`,
        'Give the DNS server as IPV4[:PORT] or [IPV6][:PORT], e.g. 127.0.0.1:5353.',
      );
    }
    serverLabel = formatHostAddress(server);
    resolver.setServers([serverLabel]);
  }
  const custom = options.dnsServer !== undefined;

  const fail = (what: string, e: unknown): QuorumError => {
    const code = (e as { code?: string }).code ?? 'unknown';
    const why = DNS_FAILURES[code] ?? `it failed (${code})`;
    const ask = custom ? `dig @${server?.host} -p ${server?.port} ${what}` : `dig ${what}`;
    return new QuorumError(
      'CLIENT_DNS_FAILED',
      `DNS query for ${what} at ${serverLabel}: ${why}.`,
      code === 'EREFUSED' || code === 'ESERVFAIL'
        ? `Check --domain, and that ${serverLabel} serves that domain or recurses for this machine (${ask}).`
        : custom
          ? `Check that a DNS server runs at ${serverLabel} and is reachable (${ask}).`
          : "Check the machine's DNS settings, or name a server with --dns-server ADDR[:PORT].",
    );
  };

  return {
    serverLabel,
    async srv(queryName) {
      try {
        const records = await resolver.resolveSrv(queryName);
        // RFC 2782: a single target "." means the service is decidedly not available here.
        return records
          .filter((r) => r.name !== '' && r.name !== '.')
          .map((r) => ({ name: r.name, port: r.port, priority: r.priority, weight: r.weight }));
      } catch (e) {
        if (NO_DATA.has((e as { code?: string }).code ?? '')) return [];
        throw fail(`${queryName} SRV`, e);
      }
    },
    async addresses(name) {
      if (isIP(name) !== 0) return [name];
      if (!custom) {
        try {
          const all = await dns.lookup(name, { all: true });
          return all.map((a) => a.address);
        } catch (e) {
          if (NO_DATA.has((e as { code?: string }).code ?? '')) return [];
          throw fail(name, e);
        }
      }
      const out: string[] = [];
      for (const family of ['resolve4', 'resolve6'] as const) {
        try {
          out.push(...(await resolver[family](name)));
        } catch (e) {
          if (!NO_DATA.has((e as { code?: string }).code ?? '')) throw fail(name, e);
        }
      }
      return out;
    },
  };
}

export type { HostAddress };
