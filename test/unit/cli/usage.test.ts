// What a person sees when a command line is wrong: one line naming the option, the code, exit 2.
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../shared/domain/errors.js';
import { main } from '../../../src-main/cli/main.js';

async function run(argv: string[]) {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += `${t}\n`),
    err: (t: string) => void (io.stderr += `${t}\n`),
  };
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('quorum command lines', () => {
  it('lists a group of commands for "quorum key --help" (exit 0) and a bare "quorum key" (exit 2)', async () => {
    for (const [argv, code] of [
      [['key', '--help'], 0],
      [['authority', '-h'], 0],
      [['client'], 2],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.stdout).toContain(`Usage: quorum ${argv[0]} <command>`);
      expect(r.stdout).toMatch(new RegExp(`quorum ${argv[0]} \\w+ +\\w`));
    }
  });

  it('still says which commands a group has for a wrong one', async () => {
    const r = await run(['key', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"key bogus" is not a command. Try: quorum key install');
  });

  it.each([
    [['status', '--data-dir'], '--data-dir needs a value.'],
    [['client', 'activate', '--host', '--state', 'x'], '--host needs a value.'],
    [['status', '--json=yes'], '--json takes no value.'],
    [['status', '--bogus'], 'Unknown option --bogus.'],
    [['settings', 'set', 'activation-interval', '-5'], 'A value that starts with "-" goes after "--", as in: -- -5.'],
    [['status', 'extra'], 'Unexpected argument "extra".'],
  ])('%j: one line, the option named, the code, exit 2', async (argv, says) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).toMatch(/ \(USAGE\)\n$/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

describe('describeError', () => {
  it('puts a full stop between a message and its hint where the message has none', () => {
    expect(describeError({ code: 'X', message: 'Unknown option', hint: 'See --help.' })).toBe(
      'Unknown option. See --help.',
    );
    expect(describeError({ code: 'X', message: 'It failed.', hint: 'See --help.' })).toBe('It failed. See --help.');
    expect(describeError({ code: 'X', message: 'Did it work?', hint: 'No.' })).toBe('Did it work? No.');
    expect(describeError({ code: 'X', message: 'Alone' })).toBe('Alone');
  });
});
