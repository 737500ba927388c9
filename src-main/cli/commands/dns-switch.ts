/** `quorum dns off` and `quorum dns on`: the publishing switch (KMS's DisableDnsPublishing). */
import { setPublishing } from '../../dns/publish-list.js';
import { syncZones } from '../../dns/dns-publisher.js';
import { parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { cliHostFacts, DNS_DATA_DIR_HELP, withDnsContext } from './dns-common.js';

function switchCommand(on: boolean): Command {
  return {
    path: ['dns', on ? 'on' : 'off'],
    summary: on
      ? 'turn DNS publishing on (publishes every zone now)'
      : "turn DNS publishing off (withdraws this host's records)",
    help: `Usage: quorum dns ${on ? 'on' : 'off'} [--data-dir DIR] [--json]

${
  on
    ? 'Turns DNS publishing on and publishes the host in every zone of the publish list now.'
    : "Turns DNS publishing off and withdraws this host's records from every zone of the publish list\n(the list itself is kept; quorum dns on publishes again)."
}

Options:
${DNS_DATA_DIR_HELP}
  --json             print the results as JSON`,
    async run(args, io) {
      const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
      return withDnsContext(values['data-dir'], async (ctx) => {
        setPublishing(ctx.store, on);
        const results = await syncZones(ctx, cliHostFacts(ctx.store, undefined), { retryMs: 0 });
        if (values.json) printJson(io, { ok: results.every((r) => r.ok), publishing: on, results });
        else {
          io.out(`DNS publishing is ${on ? 'on' : 'off'}.`);
          for (const r of results) io.out(r.ok ? r.message : `FAILED: ${r.message} ${r.hint ?? ''}`.trimEnd());
        }
        return results.every((r) => r.ok) ? 0 : 1;
      });
    },
  };
}

export const dnsOn = switchCommand(true);
export const dnsOff = switchCommand(false);
