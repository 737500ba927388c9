/**
 * The small toolkit every `quorum` command uses: argument parsing with clear errors, --help,
 * --json output, and one-line errors with a non-zero exit.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { QuorumError, describeError, type QuorumErrorInfo } from '../../shared/domain/errors.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

let guarded = false;

/**
 * `quorum status | head` closes the pipe early: that is the reader's choice, not a failure, so the
 * command ends there (as Unix tools do) instead of dying on an unhandled EPIPE. Any other failed
 * write (a full disk behind `> file`) is one error line and exit 1, unless the command handles
 * its own output's errors (quorum clients' export does, to say what is incomplete).
 */
export function exitQuietlyOnBrokenPipe(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (stream.listenerCount('error') > 1) return;
      if (stream === process.stdout) {
        process.stderr.write(
          `${failureLine({ code: 'OUTPUT_FAILED', message: `Writing the output failed (${e.code ?? e.message})`, hint: 'Check where the output goes (free space, permissions), then run the command again.' })}\n`,
        );
      }
      process.exit(1);
    });
  }
}

export interface Command {
  /** Words after `quorum`, e.g. ['key', 'install']. */
  path: string[];
  summary: string;
  /** Full help text: usage line, options, an example. */
  help: string;
  /** Returns the exit code. Throw QuorumError (or CliUsageError) for a one-line failure. */
  run(args: string[], io: CliIo): Promise<number>;
}

export class CliUsageError extends QuorumError {
  constructor(message: string) {
    super('USAGE', message, 'Run the command with --help for its options.');
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking; unknown options and missing values become a CliUsageError. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (e) {
    throw new CliUsageError(usageMessage(e));
  }
}

/** Node's parseArgs errors, said plainly: which option, and what is wrong with it. */
function usageMessage(e: unknown): string {
  const text = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  const code = (e as { code?: string }).code;
  const option = /'(-[^' ]+)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing|ambiguous/.test(text) ? `${option} needs a value.` : `${option} takes no value.`;
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return /^-\d/.test(option)
      ? `Unknown option ${option}. A value that starts with "-" goes after "--", as in: -- ${option}.`
      : `Unknown option ${option}.`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(text)?.[1];
    return arg === undefined ? 'This command takes no arguments besides its options.' : `Unexpected argument "${arg}".`;
  }
  return text;
}

/** Parses a positive integer option, with an error naming the option. */
export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliUsageError(`--${name} must be a whole number; got "${value}".`);
  const n = Number(value);
  if (n < min || n > max) throw new CliUsageError(`--${name} must be from ${min} to ${max}; got ${n}.`);
  return n;
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** "quorum: Message. Hint. (CODE)": every command's failure line; the code is what docs and scripts search for. */
/**
 * Control and format characters (ESC, CSI, bidi overrides, line breaks) that came from input and
 * are echoed in a message, written as \u001b etc.: a terminal must show them, not obey them, and
 * an error stays one line.
 */
export function escapeControls(text: string): string {
  return text.replace(
    /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

export function failureLine(e: QuorumErrorInfo): string {
  return escapeControls(`quorum: ${describeError(e)} (${e.code})`);
}

/**
 * A failure after an export began on stdout: reported on stderr, even with --json, so that stdout
 * holds only the export (well-formed, and incomplete, as the exit code and that line say).
 */
export class AfterOutputError extends Error {
  constructor(readonly error: QuorumError) {
    super(error.message);
  }
}

/** Turns any thrown value into the one line a person reads, and an exit code. */
export function reportFailure(io: CliIo, e: unknown, json: boolean): number {
  // An export already on stdout (cli/output.ts): the error goes beside it, not into it.
  if (e instanceof AfterOutputError) return reportFailure(io, e.error, false);
  const info =
    e instanceof QuorumError ? e.toJSON() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
  if (json) io.out(JSON.stringify({ ok: false, error: info }, null, 2));
  else io.err(failureLine(info));
  return info.code === 'USAGE' ? 2 : 1;
}
