import { QuorumError } from '../../../shared/domain/errors.js';
import { handRecordsFor } from '../../dns/dns-publisher.js';
import { HAND_FORMATS, type HandFormat } from '../../dns/hand-records.js';
import { DEFAULT_PRIORITY, DEFAULT_TTL_S, DEFAULT_WEIGHT } from '../../dns/publish-list.js';
import { CliUsageError, intOption, parseCommandArgs, type Command } from '../cli-kit.js';
import { cliHostFacts, DNS_DATA_DIR_HELP, withDnsContext } from './dns-common.js';

const HELP = `Usage: quorum dns records [--zone Z] [--format bind|powershell|dnsmasq|unbound] [--port N] [--data-dir DIR]

Prints the records to publish by hand for this host, exact (port, target, priority, weight, TTL),
for DNS servers Quorum cannot update: Windows DNS (its secure updates are GSS-TSIG, which Quorum
does not speak), dnsmasq, Unbound, a router's DNS, or a BIND zone file. Without --zone, every
zone of the publish list; a zone not on the list gets the defaults (priority ${DEFAULT_PRIORITY}, weight
${DEFAULT_WEIGHT}, TTL ${DEFAULT_TTL_S} s, this machine's name and addresses).

Options:
  --zone Z           the zone (default: every zone of the publish list)
  --format F         bind (zone file lines, default), powershell (Windows DNS), dnsmasq, unbound
  --port N           the activation port (default: the port the host last listened on, else 1688)
${DNS_DATA_DIR_HELP}

Example:
  quorum dns records --zone office.example --format powershell`;

export const dnsRecords: Command = {
  path: ['dns', 'records'],
  summary: 'print the records to publish by hand (BIND, Windows DNS, dnsmasq, Unbound)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      zone: { type: 'string' },
      format: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
    });
    const format = (values.format ?? 'bind') as HandFormat;
    if (!HAND_FORMATS.includes(format)) {
      throw new CliUsageError(`--format must be one of ${HAND_FORMATS.join(', ')}; got "${values.format}".`);
    }
    const port = intOption('port', values.port, 1, 65535);
    return withDnsContext(values['data-dir'], async (ctx) => {
      const records = handRecordsFor(ctx.store, cliHostFacts(ctx.store, port), values.zone, format);
      if (records.length === 0) {
        throw new QuorumError(
          'DNS_ZONE_UNKNOWN',
          'The publish list is empty.',
          'Name a zone: quorum dns records --zone office.example.',
        );
      }
      io.out(records.map((r) => r.text).join('\n\n'));
      return 0;
    });
  },
};
