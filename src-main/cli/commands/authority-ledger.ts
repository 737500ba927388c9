import { readLedger } from '../../authority/index.js';
import { parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, systemClock, when } from './key-common.js';

const HELP = `Usage: quorum authority ledger [--data-dir DIR] [--json]

Lists the keys this data directory's authority issued (last 5 characters only) with, per key,
the hosts it activated (of 6) and each host's activations (of 10).

Options:
${DATA_DIR_HELP}
  --json             print as JSON

Example:
  quorum authority ledger --json`;

export const authorityLedger: Command = {
  path: ['authority', 'ledger'],
  summary: 'list issued keys and their activations per host',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const ledger = readLedger(resolveDataDir(values['data-dir']), systemClock);
    if (values.json) {
      printJson(io, ledger);
      return 0;
    }
    if (ledger.authority === null) {
      io.out('This data directory has no authority yet. Issue a key: quorum authority issue --family desktop');
      return 0;
    }
    io.out(`Authority ${ledger.authority}: ${ledger.keys.length} key(s) issued.`);
    for (const k of ledger.keys) {
      io.out(
        `${k.maskedKey}  serial ${k.serial}  ${k.family} gen ${k.generation}  issued ${when(k.issuedAt)}  hosts ${k.hostsUsed} of ${k.hostsLimit}`,
      );
      for (const h of k.hosts) {
        io.out(
          `    host ${h.hostId}  activations ${h.activations} of ${k.activationsPerHostLimit}  last ${when(h.lastAt)}`,
        );
      }
    }
    return 0;
  },
};
