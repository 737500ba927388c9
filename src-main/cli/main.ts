/**
 * `quorum` entry: finds the command whose words match the start of argv, runs it, and turns any
 * failure into one clear line and a non-zero exit.
 */
import { COMMANDS } from './commands/index.js';
import { resolveDataDir } from '../store/data-dir.js';
import { exitQuietlyOnBrokenPipe, processIo, reportFailure, type CliIo, type Command } from './cli-kit.js';

export function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  const lines = COMMANDS.map((c) => `  quorum ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    'Quorum: a volume-activation host and console.',
    '',
    'Usage: quorum <command> [options]   (every command takes --help)',
    '',
    ...lines,
    '',
    `Data directory: --data-dir DIR, else $QUORUM_DATA_DIR, else the desktop app's: ${resolveDataDir(undefined, { ...process.env, QUORUM_DATA_DIR: '' })}`,
  ].join('\n');
}

/** `quorum key --help`: the commands of one group, as the overview lists them. */
function groupOverview(word: string, group: Command[]): string {
  const width = Math.max(...group.map((c) => c.path.join(' ').length));
  return [
    `Usage: quorum ${word} <command> [options]   (every command takes --help)`,
    '',
    ...group.map((c) => `  quorum ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  if (io === processIo) exitQuietlyOnBrokenPipe();
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    io.out('quorum 0.1.0');
    return 0;
  }
  const found = findCommand(argv);
  const json = argv.includes('--json');
  if (!found) {
    const group = COMMANDS.filter((c) => c.path[0] === argv[0]);
    const help = argv[1] === '--help' || argv[1] === '-h';
    if (group.length > 0 && (argv.length === 1 || help)) {
      io.out(groupOverview(argv[0]!, group));
      return help ? 0 : 2;
    }
    if (group.length > 0) {
      io.err(
        `quorum: "${argv.slice(0, 2).join(' ')}" is not a command. Try: ${group.map((c) => `quorum ${c.path.join(' ')}`).join(', ')}.`,
      );
    } else {
      io.err(`quorum: unknown command "${argv[0]}". Run "quorum --help" for the list.`);
    }
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.out(found.command.help);
    return 0;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (e) {
    return reportFailure(io, e, json);
  }
}
