import { listZones } from '../../dns/dns-publisher.js';
import { parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { formatTable, isoSeconds } from '../output.js';
import { DNS_DATA_DIR_HELP, withDnsContext } from './dns-common.js';

const HELP = `Usage: quorum dns list [--data-dir DIR] [--json]

Shows the publish list: for each zone its DNS server, TSIG key name, priority, weight and TTL,
what this host has published there, and the last result (when, and the error with what to do).

Options:
${DNS_DATA_DIR_HELP}
  --json             print as JSON (the TSIG secrets are never printed)`;

export const dnsList: Command = {
  path: ['dns', 'list'],
  summary: 'show the DNS publish list and the last result per zone',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    return withDnsContext(values['data-dir'], async (ctx) => {
      const list = listZones(ctx);
      if (values.json) {
        printJson(io, list);
        return 0;
      }
      io.out(`Publishing: ${list.publishing ? 'on' : 'off (quorum dns on turns it on)'}`);
      if (list.zones.length === 0) {
        io.out('No zones. Add one: quorum dns publish --zone ZONE --server ADDR --tsig-key FILE');
        return 0;
      }
      io.out(
        formatTable(
          ['zone', 'server', 'key', 'priority', 'weight', 'ttl', 'published', 'last result'],
          list.zones.map(({ entry, state }) => [
            entry.zone,
            entry.server,
            entry.keyName,
            String(entry.priority),
            String(entry.weight),
            String(entry.ttl),
            state.published ? `${state.published.target}:${state.published.port}` : '-',
            state.last
              ? `${isoSeconds(state.last.at)} ${state.last.action} ${state.last.ok ? 'ok' : `FAILED (${state.last.code})`}`
              : '-',
          ]),
        ),
      );
      for (const { entry, state } of list.zones) {
        if (state.last && !state.last.ok)
          io.out(`${entry.zone}: ${state.last.message} ${state.last.hint ?? ''}`.trimEnd());
      }
      return 0;
    });
  },
};
