import { addAndPublishZone } from '../../dns/dns-publisher.js';
import { publishingEnabled } from '../../dns/publish-list.js';
import { readKeyFileArgument } from '../../dns/tsig-key-store.js';
import { CliUsageError, intOption, parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { cliHostFacts, DNS_DATA_DIR_HELP, reportZoneResult, withDnsContext } from './dns-common.js';

const HELP = `Usage: quorum dns publish --zone Z --server ADDR[:PORT] --tsig-key FILE [--priority N] [--weight N]
                          [--ttl S] [--target NAME] [--address IP|auto]... [--port N] [--timeout MS]
                          [--data-dir DIR] [--json]

Adds the zone to this host's publish list and publishes the host's SRV record there now, as an
RFC 2136 dynamic update signed with the TSIG key (HMAC-SHA256). The running host keeps it
fresh: it publishes again on start, every 24 hours and when its port or addresses change, and
withdraws it when publishing is turned off or the host key is uninstalled. Running the command
again for the same zone replaces its settings, unless publishing with the new ones fails: a zone
already published then keeps the ones that hold its records. Only the records this host published are ever
changed or removed; other hosts' records are left as they are.

Options:
  --zone Z           the zone, as the DNS server's configuration names it (e.g. office.example)
  --server ADDR      the zone's primary DNS server, IPV4[:PORT] or [IPV6][:PORT] (port 53 by default)
  --tsig-key FILE    the key file tsig-keygen wrote (key "NAME" { algorithm hmac-sha256; secret "..."; };);
                     a copy is kept in the data directory, readable by this user only
  --priority N       SRV priority, 0-65535 (default 0; lower is tried first)
  --weight N         SRV weight, 0-65535 (default 100; shares load within a priority)
  --ttl S            TTL of the records in seconds, 30-86400 (default 900)
  --target NAME      the host name in the SRV record (default: this machine's short name in the zone)
  --address IP|auto  also publish the target's A/AAAA record (repeatable); "auto": this machine's
                     addresses, kept up to date. Default: none (the name must resolve already)
  --timeout MS       how long to wait for the DNS server's answer, per try (default 2000; two tries
                     over UDP, then one over TCP)
  --port N           the activation port to publish (default: the port the host last listened on, else 1688)
${DNS_DATA_DIR_HELP}
  --json             print the result as JSON

Example:
  tsig-keygen -a hmac-sha256 quorum-key > quorum-key.key
  quorum dns publish --zone office.example --server 192.0.2.53 --tsig-key quorum-key.key --address auto`;

export const dnsPublish: Command = {
  path: ['dns', 'publish'],
  summary: 'add a zone to the publish list and publish the SRV record (RFC 2136 + TSIG)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      zone: { type: 'string' },
      server: { type: 'string' },
      'tsig-key': { type: 'string' },
      priority: { type: 'string' },
      weight: { type: 'string' },
      ttl: { type: 'string' },
      target: { type: 'string' },
      address: { type: 'string', multiple: true },
      port: { type: 'string' },
      timeout: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.zone) throw new CliUsageError('--zone is required, e.g. --zone office.example.');
    if (!values.server)
      throw new CliUsageError("--server is required: the zone's primary DNS server, e.g. --server 192.0.2.53.");
    if (!values['tsig-key']) throw new CliUsageError('--tsig-key is required: the key file tsig-keygen wrote.');
    const addressArgs = values.address ?? [];
    if (addressArgs.includes('auto') && addressArgs.length > 1) {
      throw new CliUsageError('Give --address auto alone, or IP addresses.');
    }
    const port = intOption('port', values.port, 1, 65535);
    const key = readKeyFileArgument(values['tsig-key']);
    const timeoutMs = intOption('timeout', values.timeout, 100, 60_000);
    return withDnsContext(values['data-dir'], async (base) => {
      const ctx = { ...base, timeoutMs };
      const facts = cliHostFacts(ctx.store, port);
      const why = !publishingEnabled(ctx.store)
        ? 'publishing is off (quorum dns on turns it on)'
        : !facts.hostKeyInstalled
          ? 'no host key is installed (quorum key install KEY), and a host without one is not published'
          : null;
      const { entry, result } = await addAndPublishZone(
        ctx,
        {
          zone: values.zone!,
          server: values.server!,
          key,
          priority: intOption('priority', values.priority, 0, 65535),
          weight: intOption('weight', values.weight, 0, 65535),
          ttl: intOption('ttl', values.ttl, 30, 86_400),
          target: values.target,
          addresses: addressArgs[0] === 'auto' ? 'auto' : addressArgs,
        },
        why === null ? facts : null,
      );
      if (!result) {
        if (values.json) printJson(io, { zone: entry.zone, ok: true, published: false, why });
        else io.out(`Added ${entry.zone} to the publish list; not published now: ${why}.`);
        return 0;
      }
      return reportZoneResult(io, entry.zone, result, values.json === true);
    });
  },
};
