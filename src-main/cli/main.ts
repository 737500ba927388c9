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

/** Edits (insert, delete, replace, swap two neighbours) between two words. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The first word of a command a mistyped word is closest to, within two edits. */
function nearestCommand(word: string): string | undefined {
  const names = [...new Set(COMMANDS.map((c) => c.path[0]!))];
  const scored = names.map((n) => ({ n, d: editDistance(word.toLowerCase(), n) })).sort((x, y) => x.d - y.d);
  return scored[0] && scored[0].d <= 2 && scored[0].d < word.length ? scored[0].n : undefined;
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
      const near = nearestCommand(argv[0] ?? '');
      const guess = near ? ` Did you mean "quorum ${near}"?` : '';
      io.err(`quorum: unknown command "${argv[0]}".${guess} Run "quorum --help" for the list. (USAGE)`);
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
