import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { runQuorum as run } from '../../support/quorum-cli.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
const N = 30;
// Recent, so the log's retention (90 days by default) keeps them.
const T0 = Date.now() - 2 * 86_400_000;

beforeAll(async () => {
  tmp = tempDir();
  const s = openStore({ file: databasePath(tmp.dir) });
  for (let n = 0; n < N; n++) await s.commitActivation(activation({ n, at: T0 + n * 60_000 }));
  s.close();
});
afterAll(() => tmp.cleanup());

describe('quorum log', () => {
  it('shows the newest requests first with result, count, client and product, and how many there are', async () => {
    const r = await run('log', '--data-dir', tmp.dir, '--limit', '3');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+RESULT\s+COUNT\s+MACHINE\s+ADDRESS\s+PRODUCT\s+LICENSE STATE\s+VM$/);
    expect(lines.slice(1, 4).map((l) => /pc-\d+/.exec(l)?.[0])).toEqual(['pc-00029', 'pc-00028', 'pc-00027']);
    expect(lines[1]!.startsWith(new Date(T0 + 29 * 60_000).toISOString().replace('T', ' ').slice(0, 19))).toBe(true);
    expect(lines[1]).toMatch(/Quorum \w+/);
    expect(lines.at(-1)).toBe('30 entries, the 3 newest shown. Export all with --csv or --json.');
  });

  it('--csv writes the whole log, oldest first, with a header', async () => {
    const r = await run('log', '--data-dir', tmp.dir, '--csv');
    expect(r.code).toBe(0);
    const lines = r.out.split('\r\n').filter((l) => l.trim() !== '');
    expect(lines[0]!.startsWith('id,at,result,count,countNeeded,machineName,')).toBe(true);
    expect(lines).toHaveLength(N + 1);
    expect(lines[1]).toContain('pc-00000');
  });

  it('--json writes the whole log as one array', async () => {
    const r = await run('log', '--data-dir', tmp.dir, '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { machineName: string; at: string }[];
    expect(rows).toHaveLength(N);
    expect(rows[0]).toMatchObject({ machineName: 'pc-00000', at: new Date(T0).toISOString() });
  });

  it('refuses --limit with an export, and both formats at once (exit 2)', async () => {
    expect((await run('log', '--data-dir', tmp.dir, '--csv', '--limit', '5')).code).toBe(2);
    const both = await run('log', '--data-dir', tmp.dir, '--csv', '--json');
    expect(both.code).toBe(2);
    // With --json among the options, the error is the JSON report on stdout.
    expect(both.out).toContain('Choose one of --json and --csv.');
  });

  it('says so when nothing is logged yet', async () => {
    const empty = tempDir();
    try {
      openStore({ file: databasePath(empty.dir) }).close();
      const r = await run('log', '--data-dir', empty.dir);
      expect(r.code).toBe(0);
      expect(r.out).toBe('No requests logged yet.\n');
    } finally {
      empty.cleanup();
    }
  });
});
