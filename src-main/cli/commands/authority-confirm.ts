import { confirmInstallation } from '../../authority/index.js';
import { CliUsageError, parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, systemClock } from './key-common.js';

const HELP = `Usage: quorum authority confirm IID [--data-dir DIR] [--json]

The authority's half of offline activation (as by telephone): checks an installation ID read out
by a host's admin (each group of 7 digits has a check digit; a wrong group is named), records the
activation in the ledger under the key limits, and prints the confirmation ID to read back.
Confirming the same installation ID again prints the same confirmation ID and counts once.

Options:
${DATA_DIR_HELP}
  --json             print the result as JSON

Example:
  quorum authority confirm 100000-3 004217-6 ...   (groups may be separated by spaces or dashes)`;

export const authorityConfirm: Command = {
  path: ['authority', 'confirm'],
  summary: 'answer an installation ID with a confirmation ID',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length === 0) throw new CliUsageError('Give the installation ID: quorum authority confirm IID.');
    const c = confirmInstallation(resolveDataDir(values['data-dir']), systemClock, positionals.join(' '));
    if (values.json) printJson(io, { ok: true, ...c });
    else {
      io.out(`Confirmation ID: ${c.confirmationId}`);
      io.out(`Key ${c.maskedKey}: host ${c.hostsUsed} of 6, activation ${c.activationNumber} of 10 for that host.`);
    }
    return 0;
  },
};
