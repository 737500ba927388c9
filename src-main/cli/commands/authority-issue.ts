import { PRODUCT_FAMILIES, type ProductFamily } from '../../../shared/domain/products.js';
import { MAX_KEY_GENERATION } from '../../../shared/keys/index.js';
import { issueKey, newestGeneration } from '../../authority/index.js';
import { CliUsageError, intOption, parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, systemClock } from './key-common.js';

const HELP = `Usage: quorum authority issue --family desktop|server|office [--generation N] [--data-dir DIR] [--json]

Issues a new host key from the authority embedded in this data directory (its secret is created
in DIR/authority-secret, mode 0600, on first use). The key covers its generation and the older
ones of its family, and activates at most 6 hosts, each at most 10 times.

Options:
  --family F         desktop, server or office
  --generation N     newest product generation the key covers (default: the newest known)
${DATA_DIR_HELP}
  --json             print the result as JSON

Example:
  quorum authority issue --family desktop
  quorum key install KEY && quorum key activate      # on a host using the same data directory`;

export const authorityIssue: Command = {
  path: ['authority', 'issue'],
  summary: 'issue a host key (6 hosts, 10 activations each)',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      'data-dir': { type: 'string' },
      family: { type: 'string' },
      generation: { type: 'string' },
      json: { type: 'boolean' },
    });
    const family = values.family as ProductFamily | undefined;
    if (!family || !PRODUCT_FAMILIES.includes(family)) {
      throw new CliUsageError(
        `--family must be one of ${PRODUCT_FAMILIES.join(', ')}${values.family ? `; got "${values.family}"` : ''}.`,
      );
    }
    const generation = intOption('generation', values.generation, 1, MAX_KEY_GENERATION) ?? newestGeneration(family);
    const key = issueKey(resolveDataDir(values['data-dir']), systemClock, family, generation);
    if (values.json) printJson(io, { ok: true, key: key.text, family, generation, serial: key.serial });
    else {
      io.out(key.text);
      io.err(
        `Issued ${family} key, generations 1 to ${generation}, serial ${key.serial}. Next on the host: quorum key install KEY`,
      );
    }
    return 0;
  },
};
