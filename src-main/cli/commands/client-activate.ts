import { createClient } from '../../client/client.js';
import { CLIENT_OPTIONS_HELP, parseClientOptions, withClientErrors } from '../client-options.js';
import { failureLine, printJson, type CliIo, type Command } from '../cli-kit.js';

const HELP = `Usage: quorum client activate --product P (--host H[:PORT]... | --domain D... [--dns-server ADDR[:PORT]])
                              [--state FILE] [--machine-name NAME] [--json]

Makes one activation attempt, as a client: the cached host first, else the hosts given or found
in DNS (RFC 2782 order, failing over from hosts that do not answer). Verifies the host's signed
reply and pins its key. Exits 0 only when this machine is activated; otherwise prints the
specific error (its code is listed in docs/client.md) and exits 1.

${CLIENT_OPTIONS_HELP}

Examples:
  quorum client activate --product desktop --domain office.test
  quorum client activate --product office --host quorum1.office.test:1688 --state ./client.json --json`;

export const clientActivate: Command = {
  path: ['client', 'activate'],
  summary: 'one activation attempt as a client (exit 0 only when activated)',
  help: HELP,
  run: (args, io) => withClientErrors(args, io, () => activate(args, io)),
};

async function activate(args: string[], io: CliIo): Promise<number> {
  const { options, json } = parseClientOptions(args);
  const client = createClient(options);
  const outcome = await client.activateOnce();
  const license = outcome.status.licenses.find((l) => l.productId === client.product.id);
  if (json) {
    printJson(io, {
      ok: outcome.activated,
      activated: outcome.activated,
      error: outcome.error?.toJSON() ?? null,
      host: outcome.host,
      hostId: outcome.hostId,
      fingerprint: outcome.fingerprint,
      count: outcome.count,
      threshold: outcome.threshold,
      license: license ?? null,
      cmid: outcome.status.cmid,
      stateFile: outcome.status.stateFile,
    });
  } else if (outcome.activated) {
    io.out(
      `Activated ${license?.productName ?? options.product} by host ${outcome.hostId} at ${outcome.host} ` +
        `(count ${outcome.count} of ${outcome.threshold} needed). Valid until ` +
        `${new Date(license?.validUntil ?? 0).toISOString()}; next renewal ${new Date(license?.nextAttemptAt ?? 0).toISOString()}.`,
    );
  } else if (outcome.error) {
    io.err(failureLine(outcome.error));
  }
  return outcome.activated ? 0 : 1;
}
