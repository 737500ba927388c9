/**
 * The console's DNS operations (shared/ipc/dns-channels.ts) over a running host: the same
 * operations as `quorum dns ...`, through the host's DNS context so that every outcome reaches
 * the host's log and the console's events. A check that finds stale records raises an event too.
 */
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { DnsListView } from '../../shared/ipc/dns-channels.js';
import type { RaisedEvent } from './event-log.js';
import { QuorumError } from '../../shared/domain/errors.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { checkDns } from '../dns/dns-check.js';
import {
  addAndPublishZone,
  handRecordsFor,
  findZone,
  forgetZone,
  listZones,
  publishZone,
  syncZones,
} from '../dns/dns-publisher.js';
import { localHostOf } from '../host/local-host.js';
import { publishingEnabled, setPublishing } from '../dns/publish-list.js';
import { parseTsigKeyFile } from '../dns/tsig-key-file.js';

type DnsContract = Pick<
  ConsoleContract,
  'dns:list' | 'dns:add-zone' | 'dns:publish-now' | 'dns:withdraw' | 'dns:set-publishing' | 'dns:records' | 'dns:check'
>;

export function createDnsService(host: HostRuntime, raise: (e: RaisedEvent) => void): DnsContract {
  const ctx = () => host.dns.context();
  const list = (): DnsListView => {
    const { publishing, zones } = listZones(ctx());
    const facts = host.dns.facts();
    return {
      publishing,
      hostKeyInstalled: facts.hostKeyInstalled,
      port: facts.port,
      zones: zones.map(({ entry, state }) => ({ ...entry, ...state })),
    };
  };
  const notPublishing = (): string | null => {
    if (!publishingEnabled(host.store)) return 'DNS publishing is off. Turn it on to publish.';
    if (!host.dns.facts().hostKeyInstalled) return 'No host key is installed; a host without one is not published.';
    return null;
  };
  return {
    'dns:list': async () => list(),
    // Publishing operations take their turn with the host's own sync (DnsSync.exclusive).
    'dns:add-zone': async (input) => {
      const key = parseTsigKeyFile(input.keyText, 'The TSIG key given');
      return host.dns.exclusive(async () => {
        const facts = notPublishing() === null ? host.dns.facts() : null;
        return (await addAndPublishZone(ctx(), { ...input, key, target: input.target || undefined }, facts)).result;
      });
    },
    'dns:publish-now': async ({ zone }) =>
      host.dns.exclusive(async () => {
        const why = notPublishing();
        if (why) throw new QuorumError('DNS_NOT_PUBLISHING', why);
        return publishZone(ctx(), findZone(ctx(), zone), host.dns.facts());
      }),
    'dns:withdraw': async ({ zone }) => host.dns.exclusive(() => forgetZone(ctx(), zone)),
    'dns:set-publishing': async ({ on }) =>
      host.dns.exclusive(async () => {
        setPublishing(host.store, on);
        return syncZones(ctx(), host.dns.facts(), { retryMs: 0 });
      }),
    'dns:records': async ({ zone, format }) => handRecordsFor(host.store, host.dns.facts(), zone, format),
    'dns:check': async ({ domain, dnsServer }) => {
      const report = await checkDns({
        domain,
        dnsServer: dnsServer || undefined,
        local: localHostOf(host.dataDir, host.store, domain),
      });
      if (report.stale > 0) {
        raise({
          kind: 'dns-stale-record',
          severity: 'warning',
          key: `dns-stale:${report.domain}`,
          view: 'dns',
          endsOn: 'acknowledge',
          message: `DNS check of ${report.domain}: ${report.stale} SRV record${report.stale === 1 ? '' : 's'} name${report.stale === 1 ? 's' : ''} a host that does not answer (${report.records
            .filter((r) => !r.reachable)
            .map((r) => `${r.target}:${r.port}`)
            .join(', ')}). Clients waste a timeout on each; withdraw or fix them.`,
        });
      }
      return report;
    },
  };
}
