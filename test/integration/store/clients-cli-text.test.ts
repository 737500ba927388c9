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
    // Two characters: found at the start of a name, address or CMID, here every name's.
    const r = await run('clients', '--data-dir', tmp.dir, '--text', 'SE', '--limit', '3');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/)[0])).toEqual(
      [N - 1, N - 2, N - 3].map((n) => `seed-${String(n).padStart(6, '0')}`),
    );
    expect(lines.at(-1)).toBe(
      `At least ${COUNT_CAP.toLocaleString('en-US')} clients, the 3 most recently seen shown. Export all with --csv or --json.`,
    );
  });

  it('says "at least" the cap for a text the full-text index finds in more clients than that', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--text', 'SEED-', '--limit', '3');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe(
      `At least ${COUNT_CAP.toLocaleString('en-US')} clients, the 3 most recently seen shown. Export all with --csv or --json.`,
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

  it('counts a text and a product exactly, through the product when it has fewer clients than the cap', async () => {
    // "seed-0" is in 10,050 clients, more than the full-text index lists; a sixth are Quorum
    // Desktop 3, few enough to read through the product and count exactly, console and CLI alike.
    const store = openStore({ file: databasePath(tmp.dir), readonly: true });
    const desktop = BUILTIN_PRODUCTS.find((p) => p.name === 'desktop')!.id;
    const want = (
      store.db
        .prepare(`SELECT COUNT(*) AS n FROM clients WHERE machine_name LIKE 'seed-0%' AND product_id = ?`)
        .get(desktop) as { n: number }
    ).n;
    expect(want).toBeLessThan(COUNT_CAP);
    const query = {
      offset: 0,
      limit: 5,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: { productId: desktop, text: 'seed-0' },
    } as const;
    expect(store.queryClients(query)).toMatchObject({ total: want });
    expect(store.queryClients(query).totalIsLowerBound).toBeUndefined();
    // A VM filter instead: the text's matches, more than the count cap, are listed only when they
    // are a small share of the clients; here they are all of them, so the console counts the VMs
    // among the first COUNT_CAP + 1 (a lower bound) and the CLI counts on through the table.
    const vms = { ...query, filter: { isVm: true, text: 'seed-0' } } as const;
    const allVms = store.db.prepare(`SELECT COUNT(*) FROM clients WHERE is_vm = 1`).pluck().get() as number;
    expect(store.queryClients(vms)).toMatchObject({ totalIsLowerBound: true });
    expect(store.queryClients(vms).total).toBeLessThanOrEqual(allVms);
    expect(store.queryClients(vms, { wholeCount: true })).toMatchObject({ total: allVms });
    store.close();
    const r = await run('clients', '--data-dir', tmp.dir, '--text', 'seed-0', '--product', 'desktop', '--limit', '5');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').at(-1)).toBe(
      `${want.toLocaleString('en-US')} clients, the 5 most recently seen shown. Export all with --csv or --json.`,
    );
  });

  it('finds a text of one or two characters at the start of a name, address or CMID only', async () => {
    // "ee" is in every name ("seed-"), at the start of none; "10" starts every address.
    const inside = await run('clients', '--data-dir', tmp.dir, '--text', 'ee');
    expect(inside.code).toBe(0);
    expect(inside.out.trim()).toBe('No clients match "ee".');
    const start = await run('clients', '--data-dir', tmp.dir, '--text', '10', '--limit', '1');
    expect(start.out.trim().split('\n').at(-1)).toMatch(/^At least 10,000 clients/);
  });

  it('exports the clients a text finds, every one, past the cap the table counts to', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--json', '--text', 'seed-0100');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { machineName: string }[];
    expect(rows.map((x) => x.machineName)).toEqual(
      Array.from({ length: 50 }, (_, i) => `seed-${String(10_000 + i).padStart(6, '0')}`),
    );
    const all = await run('clients', '--data-dir', tmp.dir, '--csv', '--text', 'SEED-');
    expect(all.out.split('\r\n').filter((l) => l !== '')).toHaveLength(N + 1);
  });
});
