import { uninstallKey } from '../../authority/index.js';
import { parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, systemClock } from './key-common.js';

const HELP = `Usage: quorum key uninstall [--data-dir DIR] [--json]

Removes the host key from this host installation; the host stops activating clients. Installing
the same key again and activating counts as a reactivation of this host (this data directory).

Options:
${DATA_DIR_HELP}
  --json             print the result as JSON

Example:
  quorum key uninstall`;

export const keyUninstall: Command = {
  path: ['key', 'uninstall'],
  summary: 'remove the host key (the host stops serving)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const removed = uninstallKey(resolveDataDir(values['data-dir']), systemClock);
    if (values.json) printJson(io, { ok: true, removed });
    else io.out(removed ? 'Host key removed. The host no longer activates clients.' : 'No host key was installed.');
    return 0;
  },
};
