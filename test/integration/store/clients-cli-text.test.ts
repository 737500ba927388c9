// `quorum clients --text`: the table of the clients whose name, address or CMID has the text, and a
// total that says "more than" when the text is in too many clients to count them all cheaply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PRODUCTS } from '../../../shared/domain/index.js';
import { COUNT_CAP } from '../../../src-main/store/client-query.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { runQuorum as run } from '../../support/quorum-cli.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
// More clients with the text than the store counts one by one: that stops at COUNT_CAP.
const N = COUNT_CAP + 50;

beforeAll(async () => {
  tmp = tempDir();
  const s = openStore({ file: databasePath(tmp.dir) });
  for (let from = 0; from < N; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, N - from) }, (_, i) => from + i);
    await Promise.all(
      batch.map((n) =>
        s.commitActivation(
          activation({ n, at: Date.UTC(2026, 0, 1) + n * 1000, machineName: `seed-${String(n).padStart(6, '0')}` }),
        ),
      ),
    );
  }
  s.close();
}, 120_000);
afterAll(() => tmp.cleanup());

describe('quorum clients --text', () => {
  it('says "more than" the cap for a text in very many clients, and shows the most recent', async () => {
    // Two characters: no full-text search, so the matches are counted one by one up to the cap.
    const r = await run('clients', '--data-dir', tmp.dir, '--text', 'EE', '--limit', '3');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/)[0])).toEqual(
      [N - 1, N - 2, N - 3].map((n) => `seed-${String(n).padStart(6, '0')}`),
    );
    expect(lines.at(-1)).toBe(
      `At least ${COUNT_CAP.toLocaleString('en-US')} clients, the 3 most recently seen shown. Export all with --csv or --json.`,
    );
  });

  it('gives the exact total past the cap when the full-text index lists every match', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--text', 'SEED-', '--limit', '3');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe(
      `${N.toLocaleString('en-US')} clients, the 3 most recently seen shown. Export all with --csv or --json.`,
    );
  });

  it('gives the exact total for a text in few clients, and says when none match', async () => {
    const one = await run('clients', '--data-dir', tmp.dir, '--text', 'seed-000042');
    expect(one.code).toBe(0);
    expect(one.out.trim().split('\n').at(-1)).toBe('1 client. Export all with --csv or --json.');
    const some = await run('clients', '--data-dir', tmp.dir, '--text', 'seed-001', '--limit', '5');
    expect(some.out.trim().split('\n').at(-1)).toBe(
      '1,000 clients, the 5 most recently seen shown. Export all with --csv or --json.',
    );
    const none = await run('clients', '--data-dir', tmp.dir, '--text', 'nowhere', '--product', 'desktop');
    expect(none.code).toBe(0);
    expect(none.out.trim()).toBe('No Quorum Desktop 3 clients match "nowhere".');
  });

  it('counts a text and a product whole, where the console settles for a lower bound', async () => {
    // "seed-00": 10,000 clients, a sixth of them Quorum Desktop 3. Counting them tests each of the
    // 10,000 rows for its product: more than the console's budget, nothing for one command.
    const store = openStore({ file: databasePath(tmp.dir), readonly: true });
    const desktop = BUILTIN_PRODUCTS.find((p) => p.name === 'desktop')!.id;
    const want = (
      store.db
        .prepare(`SELECT COUNT(*) AS n FROM clients WHERE machine_name LIKE 'seed-00%' AND product_id = ?`)
        .get(desktop) as { n: number }
    ).n;
    const query = {
      offset: 0,
      limit: 5,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: { productId: desktop, text: 'seed-00' },
    } as const;
    const console = store.queryClients(query);
    expect(console.totalIsLowerBound).toBe(true);
    expect(console.total).toBeLessThan(want);
    expect(store.queryClients(query, { wholeCount: true })).toMatchObject({ total: want });
    store.close();
    const r = await run('clients', '--data-dir', tmp.dir, '--text', 'seed-00', '--product', 'desktop', '--limit', '5');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe(
      `${want.toLocaleString('en-US')} clients, the 5 most recently seen shown. Export all with --csv or --json.`,
    );
  });

  it('refuses --text with an export', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--csv', '--text', 'seed');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--product and --text apply to the table/);
  });
});
