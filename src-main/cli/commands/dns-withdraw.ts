import { forgetZone } from '../../dns/dns-publisher.js';
import { readKeyFileArgument } from '../../dns/tsig-key-store.js';
import { CliUsageError, parseCommandArgs, type Command } from '../cli-kit.js';
import { DNS_DATA_DIR_HELP, reportZoneResult, withDnsContext } from './dns-common.js';

const HELP = `Usage: quorum dns withdraw --zone Z [--tsig-key FILE] [--data-dir DIR] [--json]

Deletes the records this host published in the zone (exactly those: other hosts' records stay)
and takes the zone and its TSIG key off the publish list. When the DNS server cannot be reached
or refuses, the zone stays on the list so the command can be run again.

Options:
  --zone Z           a zone of the publish list (see quorum dns list)
  --tsig-key FILE    sign with this key file instead of the stored copy (needed where the desktop
                     app sealed that copy with the OS keychain: DNS_KEY_SEALED)
${DNS_DATA_DIR_HELP}
  --json             print the result as JSON

Example:
  quorum dns withdraw --zone office.example`;

export const dnsWithdraw: Command = {
  path: ['dns', 'withdraw'],
  summary: "withdraw this host's records from a zone and take it off the publish list",
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      zone: { type: 'string' },
      'tsig-key': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.zone) throw new CliUsageError('--zone is required (see quorum dns list).');
    const key = values['tsig-key'] === undefined ? undefined : readKeyFileArgument(values['tsig-key']);
    return withDnsContext(values['data-dir'], async (ctx) =>
      reportZoneResult(io, values.zone!, await forgetZone(ctx, values.zone!, key), values.json === true),
    );
  },
};
