import { readSiteToken } from '../../host/network-settings.js';
import { parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP } from './key-common.js';

export const settingsSiteToken: Command = {
  path: ['settings', 'site-token'],
  summary: 'show the site token clients need (set with: quorum settings set site-token rotate)',
  help: `Usage: quorum settings site-token [--data-dir DIR] [--json]

Prints the site token stored in this data directory, for clients (quorum client activate
--site-token TOKEN). Make a new one with quorum settings set site-token rotate; stop requiring one
with quorum settings set site-token off.

Options:
${DATA_DIR_HELP}
  --json             print as JSON`,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const token = readSiteToken(resolveDataDir(values['data-dir'])) ?? null;
    if (values.json) printJson(io, { token });
    else io.out(token ?? 'No site token is set: requests are admitted without one.');
    return 0;
  },
};
