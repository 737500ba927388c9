import { installKey, keyInfo } from '../../authority/index.js';
import { maskHostKey } from '../../../shared/keys/index.js';
import { CliUsageError, parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, coverageText, systemClock } from './key-common.js';

const HELP = `Usage: quorum key install KEY [--data-dir DIR] [--json]

Checks a host key and installs it in this host installation, replacing any key installed before.
The host then still needs to be activated (quorum key activate) before it serves clients.
A key is 25 characters in 5 groups of 5; dashes, spaces and lower case are accepted. A typo is
caught and its group named.

Options:
${DATA_DIR_HELP}
  --json             print the result as JSON

Example:
  quorum authority issue --family desktop        # on the authority; prints a key
  quorum key install 29ZWV-NDR7B-DE3RB-Y536E-8TXK2`;

export const keyInstall: Command = {
  path: ['key', 'install'],
  summary: 'check and install a host key (then: quorum key activate)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length === 0) throw new CliUsageError('Give the host key: quorum key install KEY.');
    const dataDir = resolveDataDir(values['data-dir']);
    const { key, alreadyInstalled } = installKey(dataDir, systemClock, positionals.join(''));
    const masked = maskHostKey(key.text);
    if (values.json) {
      const { state } = keyInfo(dataDir, systemClock);
      printJson(io, { ok: true, key: masked, family: key.family, generation: key.generation, state, alreadyInstalled });
    } else if (alreadyInstalled) {
      io.out(`Host key ${masked} is already installed; nothing changed (its activation, if any, is kept).`);
      io.out('See its state: quorum key info');
    } else {
      io.out(`Installed host key ${masked} (${coverageText(key.family, key.generation)}).`);
      io.out(
        'The host is not activated yet. Next: quorum key activate   (or --offline for activation by installation ID)',
      );
    }
    return 0;
  },
};
