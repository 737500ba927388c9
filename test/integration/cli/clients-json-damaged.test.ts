// `quorum clients --json` (and --csv) over a database damaged part-way through the client table:
// stdout must stay what a script can parse (the rows read so far, as a closed JSON array, never a
// partial array followed by an error object), and the fault is one line on stderr with exit 1.
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { runQuorum as run } from '../../support/quorum-cli.js';
import { activation, tempDir } from '../store/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
const N = 3000;

beforeAll(async () => {
  tmp = tempDir();
  const file = databasePath(tmp.dir);
  const s = openStore({ file });
  await Promise.all(Array.from({ length: N }, (_, n) => s.commitActivation(activation({ n }))));
  s.close();
  // The leaf pages that hold the last clients (in rowid order, which is also their name order here).
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = (
    db.prepare("SELECT pageno FROM dbstat WHERE name = 'clients' AND pagetype = 'leaf' ORDER BY pageno").all() as {
      pageno: number;
    }[]
  ).map((r) => r.pageno);
  db.close();
  const fd = openSync(file, 'r+');
  for (const page of leaves.slice(Math.floor(leaves.length * 0.75))) {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  }
  closeSync(fd);
});
afterAll(() => tmp.cleanup());

describe('quorum clients export over a damaged client table', () => {
  it('--json: stdout is one valid JSON array of the rows read before the fault; one error line on stderr; exit 1', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--json');
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.out) as { machineName: string }[];
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(N);
    const errLines = r.err.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/damaged.*STORE_CORRUPT/);
  });

  it('--csv: the rows read before the fault, then the error on stderr only', async () => {
    const r = await run('clients', '--data-dir', tmp.dir, '--csv');
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toMatch(/^machineName,/);
    expect(r.out).not.toMatch(/STORE_CORRUPT|damaged/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
