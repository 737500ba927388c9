import { keyInfo } from '../../authority/index.js';
import { hostFingerprintJson, hostFingerprintRows, readHostFingerprint } from '../../host/host-fingerprint.js';
import { parseCommandArgs, printJson, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DATA_DIR_HELP, describeKeyInfo, systemClock } from './key-common.js';

const HELP = `Usage: quorum key info [--data-dir DIR] [--json]

Shows the installed host key (last 5 characters only), the product family and generations it
covers, whether the host is activated, how many of the key's 6 hosts are used and how many of
this host's 10 activations (counts as of the last activation or confirmation), and the host ID
and key fingerprint clients pin (quorum client --pin FINGERPRINT).

Options:
${DATA_DIR_HELP}
  --json             print as JSON

Example:
  quorum key info --json`;

export const keyInfoCommand: Command = {
  path: ['key', 'info'],
  summary: 'show the host key, its activation and its limits used',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const dataDir = resolveDataDir(values['data-dir']);
    const info = keyInfo(dataDir, systemClock);
    const identity = readHostFingerprint(dataDir);
    if (values.json) printJson(io, { ...info, host: hostFingerprintJson(identity) });
    else {
      const rows = hostFingerprintRows(identity).map((r) => `${`${r.label}:`.padEnd(13)} ${r.value}`);
      io.out([describeKeyInfo(info), ...rows].join('\n'));
    }
    return 0;
  },
};
