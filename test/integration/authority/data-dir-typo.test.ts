// A mistyped --data-dir: the commands that need an installation say so and create nothing;
// only those that start one (authority issue, key install) create the directory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runQuorum } from '../../support/quorum-cli.js';
import { tempDataDir } from '../../support/activated-host.js';

async function run(argv: string[]) {
  const r = await runQuorum(...argv);
  return { code: r.code, text: r.out + r.err };
}

describe('a data directory that does not exist', () => {
  it.each([
    ['key', 'info'],
    ['key', 'uninstall'],
    ['key', 'activate'],
    ['authority', 'ledger'],
  ])('quorum %s %s names it and creates nothing', async (...command) => {
    const dir = join(tempDataDir(), 'typo');
    const r = await run([...command, '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.text).toContain(`${dir} is not a Quorum data directory: it has no quorum.db.`);
    expect(r.text).toContain('(DATA_DIR_NOT_FOUND)');
    expect(existsSync(dir)).toBe(false);
  });

  it('quorum authority issue starts one there', async () => {
    const dir = join(tempDataDir(), 'new-host');
    const r = await run(['authority', 'issue', '--family', 'desktop', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'quorum.db'))).toBe(true);
    expect((await run(['key', 'info', '--data-dir', dir])).text).toContain('none installed');
  });
});
