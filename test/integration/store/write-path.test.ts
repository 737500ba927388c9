/**
 * The write path writes only the inventory columns that changed (fewer index entries, fewer WAL
 * pages per commit). These properties check that the inventory, its totals and its text index are
 * still exactly what a from-scratch model of the same requests says, whatever changes between
 * requests and however they are grouped into commits.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_PRODUCTS, type LicenseState, type RequestResult } from '../../../shared/domain/index.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import type { ClientDbRow } from '../../../src-main/store/client-query.js';
import { activation, cmidOf, tempDir } from './fixtures.js';

/** What the model expects of one inventory row: the stored columns (less the key) and the address history. */
type ModelRow = Omit<ClientDbRow, 'cmid'> & { addresses: string };

const step = fc.record({
  n: fc.integer({ min: 0, max: 3 }),
  at: fc.integer({ min: 0, max: 50 }),
  productIndex: fc.integer({ min: 0, max: 2 }),
  licenseState: fc.integer({ min: 0, max: 6 }) as fc.Arbitrary<LicenseState>,
  isVm: fc.boolean(),
  address: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', 'fd00::7'),
  machineName: fc.constantFrom('alpha', 'bravo', 'charlie'),
  result: fc.constantFrom<RequestResult>('granted', 'count-insufficient'),
  /** Whether this request waits for the previous ones to commit (true) or joins their commit. */
  awaitBefore: fc.boolean(),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function model(steps: Step[]): Map<string, ModelRow> {
  const rows = new Map<string, ModelRow>();
  for (const s of steps) {
    const p = BUILTIN_PRODUCTS[s.productIndex]!;
    const at = 1_000_000 + s.at * 1000;
    const old = rows.get(cmidOf(s.n));
    const addresses = [s.address, ...(old?.addresses.split(',') ?? []).filter((a) => a !== s.address)].slice(0, 4);
    rows.set(cmidOf(s.n), {
      machine_name: s.machineName,
      address: s.address,
      addresses: addresses.join(','),
      product_id: p.id,
      product_name: p.displayName,
      application_id: p.applicationId,
      license_state: s.licenseState,
      is_vm: s.isVm ? 1 : 0,
      first_seen: old?.first_seen ?? at,
      last_seen: Math.max(old?.last_seen ?? at, at),
      request_count: (old?.request_count ?? 0) + 1,
      last_result: s.result,
    });
  }
  return rows;
}

let store: SqliteStore | undefined;
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  store?.close();
  store = undefined;
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('write path: only changed columns are written', () => {
  it('leaves the inventory, its totals and its text index as a model of the same requests says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const tmp = tempDir();
        dirs.push(tmp);
        const s = openStore({ file: databasePath(tmp.dir) });
        store = s;
        const pending: Promise<void>[] = [];
        for (const st of steps) {
          if (st.awaitBefore) await Promise.all(pending.splice(0));
          pending.push(s.commitActivation(activation({ ...st, at: 1_000_000 + st.at * 1000 })));
        }
        await Promise.all(pending);
        s.applyPending();
        const want = model(steps);
        const got = s.db
          .prepare(
            `SELECT cmid, machine_name, address, addresses, product_id, product_name, application_id, license_state,
             is_vm, first_seen, last_seen, request_count, last_result FROM clients ORDER BY cmid`,
          )
          .all() as (ModelRow & { cmid: string })[];
        expect(Object.fromEntries(got.map(({ cmid, ...row }) => [cmid, row]))).toEqual(Object.fromEntries(want));
        const totals = s.db
          .prepare('SELECT product_id, license_state, is_vm, n FROM client_totals WHERE n != 0 ORDER BY 1, 2, 3')
          .all();
        const counted = new Map<string, { product_id: string; license_state: number; is_vm: number; n: number }>();
        for (const r of want.values()) {
          const key = `${r.product_id}/${r.license_state}/${r.is_vm}`;
          const t = counted.get(key) ?? {
            product_id: r.product_id,
            license_state: r.license_state,
            is_vm: r.is_vm,
            n: 0,
          };
          t.n++;
          counted.set(key, t);
        }
        const byKey = (a: { product_id: string; license_state: number; is_vm: number }) =>
          `${a.product_id}/${a.license_state}/${a.is_vm}`;
        expect(totals).toEqual([...counted.values()].sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1)));
        // The text index finds each client by its current name and address, and not by a former name.
        for (const name of ['alpha', 'bravo', 'charlie']) {
          const ids = s.db
            .prepare('SELECT c.cmid FROM clients_text t JOIN clients c ON c.rowid = t.rowid WHERE clients_text MATCH ?')
            .pluck()
            .all(`"${name}"`) as string[];
          const expected = [...want].filter(([, r]) => r.machine_name === name).map(([cmid]) => cmid);
          expect(ids.sort()).toEqual(expected.sort());
        }
        s.close();
        store = undefined;
      }),
      { numRuns: 40 },
    );
  });
});
