import { describeState } from '../../client/status.js';
import { readClientState } from '../../client/state-file.js';
import { describeStatus, stateFileOf, withClientErrors } from '../client-options.js';
import { parseCommandArgs, printJson, type CliIo, type Command } from '../cli-kit.js';

const HELP = `Usage: quorum client status [--state FILE] [--data-dir DIR] [--json]

Shows what the client state file holds: the CMID, the cached host, pinned host keys and, per
product, the license state (licensed, initial grace, out-of-tolerance grace, notification), the
time left, the last attempt and its result, and when the next attempt is due.

Options:
  --state FILE     the client's state file (default: client-state.json in the data directory)
  --data-dir DIR   data directory for the default state file
  --json           print JSON

Example:
  quorum client status --state ./client.json`;

export const clientStatus: Command = {
  path: ['client', 'status'],
  summary: "show the client's license state, cached host and pinned keys",
  help: HELP,
  run: (args, io) => withClientErrors(args, io, () => status(args, io)),
};

async function status(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    state: { type: 'string' },
    'data-dir': { type: 'string' },
    json: { type: 'boolean' },
  });
  const file = stateFileOf(values);
  const state = await readClientState(file);
  if (!state) {
    if (values.json) printJson(io, { stateFile: file, exists: false, licenses: [] });
    else io.out(`No client state at ${file}: this client has not tried to activate yet (unlicensed).`);
    return 0;
  }
  const described = describeState(file, state, Date.now());
  if (values.json) printJson(io, { ...described, exists: true });
  else io.out(describeStatus(described));
  return 0;
}
