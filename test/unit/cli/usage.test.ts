// What a person sees when a command line is wrong: one line naming the option, the code, exit 2.
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../shared/domain/errors.js';
import { runQuorum } from '../../support/quorum-cli.js';

const run = (argv: string[]) => runQuorum(...argv);

describe('quorum command lines', () => {
  it('lists a group of commands for "quorum key --help" (exit 0) and a bare "quorum key" (exit 2)', async () => {
    for (const [argv, code] of [
      [['key', '--help'], 0],
      [['authority', '-h'], 0],
      [['client'], 2],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.out).toContain(`Usage: quorum ${argv[0]} <command>`);
      expect(r.out).toMatch(new RegExp(`quorum ${argv[0]} \\w+ +\\w`));
    }
  });

  it('still says which commands a group has for a wrong one', async () => {
    const r = await run(['key', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('"key bogus" is not a command. Try: quorum key install');
  });

  it('names the command a mistyped one is closest to, and its code', async () => {
    const typo = await run(['clinets']);
    expect(typo.code).toBe(2);
    expect(typo.err.trim()).toBe(
      'quorum: unknown command "clinets". Did you mean "quorum clients"? Run "quorum --help" for the list. (USAGE)',
    );
    const far = await run(['zzzzzz']);
    expect(far.err.trim()).toBe('quorum: unknown command "zzzzzz". Run "quorum --help" for the list. (USAGE)');
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
    expect(r.err).toContain(says);
    expect(r.err).toMatch(/ \(USAGE\)\n$/);
    expect(r.err.split('\n')).toHaveLength(2);
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
