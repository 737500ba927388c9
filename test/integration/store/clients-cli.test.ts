import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_EXPORT_FIELDS } from '../../../src-main/store/export.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { runQuorum as run } from '../../support/quorum-cli.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
const N = 120;

beforeAll(async () => {
  tmp = tempDir();
  const s = openStore({ file: databasePath(tmp.dir) });
  await Promise.all(
    Array.from({ length: N }, (_, n) =>
      s.commitActivation(
        activation({
          n,
          at: Date.UTC(2026, 0, 1) + n * 60_000,
          licenseState: n % 10 === 0 ? 1 : 2,
          result: n % 8 === 0 ? 'count-insufficient' : 'granted',
        }),
      ),
    ),
  );
  s.close();
});
afterAll(() => tmp.cleanup());

describe('quorum clients', () => {
  it('shows the most recently seen clients first and says how many there are', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--limit', '5');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^MACHINE\s+ADDRESS\s+PRODUCT\s+LICENSE STATE\s+VM\s+LAST SEEN\s+REQUESTS\s+LAST RESULT$/);
    expect(lines.slice(1, 6).map((l) => l.split(/\s+/)[0])).toEqual([
      'pc-00119',
      'pc-00118',
      'pc-00117',
      'pc-00116',
      'pc-00115',
    ]);
    expect(lines.at(-1)).toBe('120 clients, the 5 most recently seen shown. Export all with --csv or --json.');
  });

  it('filters the table by product short name', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--product', 'office');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^20 clients\./m);
    expect(r.out).not.toMatch(/Quorum Desktop/);
  });

  it('--csv writes every client with a header', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--csv');
    expect(r.code).toBe(0);
    const lines = r.out.split('\r\n').filter((l) => l.trim() !== '');
    expect(lines[0]!.startsWith('machineName,address,')).toBe(true);
    expect(lines).toHaveLength(N + 1);
  });

  it('--json writes every client as one array', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { machineName: string; lastSeen: string }[];
    expect(rows).toHaveLength(N);
    expect(rows[0]).toMatchObject({ machineName: 'pc-00000', lastSeen: '2026-01-01T00:00:00.000Z' });
  });

  it('filters by license state, VM, last result and time seen, and sorts, as the console does', async () => {
    const licensed = await run('clients', '--data-dir', tmp.dir, '--state', 'licensed');
    expect(licensed.out).toMatch(/^12 clients\./m);
    // Every tenth is licensed; every third a VM; every eighth was refused: n = 0, 24, 48, 72, 96.
    const vmRefused = await run('clients', '--data-dir', tmp.dir, '--vm', 'yes', '--result', 'count-insufficient');
    expect(vmRefused.out).toMatch(/^5 clients\./m);
    const recent = await run('clients', '--data-dir', tmp.dir, '--seen-within', '1h');
    expect(recent.out.trim()).toBe('No clients match these filters.');
    const sorted = await run('clients', '--data-dir', tmp.dir, '--sort', 'machine-name', '--limit', '2');
    const lines = sorted.out.trim().split('\n');
    expect(lines.slice(1, 3).map((l) => l.split(/\s+/)[0])).toEqual(['pc-00000', 'pc-00001']);
    expect(lines.at(-1)).toBe('120 clients, the first 2 shown. Export all with --csv or --json.');
  });

  it("--csv with a view exports what the table lists, in its order, with the console export's columns", async () => {
    const view = ['--vm', 'yes', '--result', 'count-insufficient', '--sort', 'machine-name:desc'];
    const r = await run('clients', '--data-dir', tmp.dir, '--csv', ...view);
    expect(r.code).toBe(0);
    const lines = r.out.split('\r\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe(CLIENT_EXPORT_FIELDS.join(','));
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
      'pc-00096',
      'pc-00072',
      'pc-00048',
      'pc-00024',
      'pc-00000',
    ]);
    const table = await run('clients', '--data-dir', tmp.dir, ...view);
    expect(
      table.out
        .trim()
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(lines.slice(1).map((l) => l.split(',')[0]));
  });

  it('refuses a view option it does not know, saying what it may be', async () => {
    const cases: [string[], RegExp][] = [
      [['--state', 'happy'], /--state must be one of unlicensed, licensed, initial-grace, .*got "happy"/],
      [['--vm', 'maybe'], /--vm must be one of yes, no; got "maybe"/],
      [['--result', 'ok'], /--result must be one of granted, count-insufficient, .*got "ok"/],
      [['--seen-within', '2w'], /--seen-within must be one of 1h, 1d, 7d, 30d; got "2w"/],
      [['--sort', 'colour'], /--sort must name one of machine-name, .*got "colour"/],
      [['--sort', 'last-seen:down'], /--sort takes a column and, after a colon, asc or desc/],
    ];
    for (const [args, message] of cases) {
      const r = await run('clients', '--data-dir', tmp.dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('refuses --csv with --json, an unknown product, and a data directory with no database', async () => {
    expect((await run('clients', '--data-dir', tmp.dir, '--csv', '--json')).code).toBe(2);
    const unknown = await run('clients', '--data-dir', tmp.dir, '--product', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown product "nope"/);
    const empty = tempDir();
    try {
      const r = await run('clients', '--data-dir', empty.dir);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/There is no Quorum database at .*quorum\.db/);
      const j = await run('clients', '--data-dir', empty.dir, '--json');
      expect(JSON.parse(j.out)).toMatchObject({ ok: false, error: { code: 'STORE_NOT_FOUND' } });
    } finally {
      empty.cleanup();
    }
  });
});
