import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_OS, BUILTIN_PRODUCTS } from '../../../shared/domain/index.js';
import { latestVersion, migrate, type MigrationReport } from '../../../src-main/store/migrate.js';
import { MIGRATIONS } from '../../../src-main/store/migrations/index.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activation, cmidOf, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const LATEST = latestVersion();
const desktop = BUILTIN_PRODUCTS[0]!;

/**
 * A database left at schema `version` by an older build: created at version 1, filled with data,
 * then upgraded step by step to `version`, as an installation that lived through those builds.
 */
function databaseAt(file: string, version: number): void {
  const db = new Database(file);
  try {
    // Version 0 is a database with its header and no tables (a 0-byte file is a damaged one).
    db.pragma('user_version = 0');
    migrate(db, file, Date.UTC(2025, 0, 1), MIGRATIONS.slice(0, Math.min(version, 1)));
    if (version >= 1) seedVersion1(db);
    migrate(db, file, Date.UTC(2025, 0, 2), MIGRATIONS.slice(0, version));
  } finally {
    db.close();
  }
  for (const f of readdirSync(dirname(file))) if (f.includes('.bak-')) rmSync(join(dirname(file), f));
}

/** Rows in the version-1 tables, written with version 1's columns. */
function seedVersion1(db: Database.Database): void {
  const client = db.prepare(`INSERT INTO clients (cmid, machine_name, address, addresses, product_id, product_name,
    application_id, license_state, is_vm, first_seen, last_seen, request_count, last_result)
    VALUES (?, ?, '10.1.1.1', '10.1.1.1', ?, 'Quorum Desktop 3', ?, ?, ?, 1000, 2000, 4, 'granted')`);
  for (let n = 0; n < 30; n++) {
    client.run(cmidOf(n), `old-${n}`, desktop.id, APPLICATION_OS.id, n % 2 === 0 ? 1 : 2, n % 3 === 0 ? 1 : 0);
  }
  db.prepare(
    `INSERT INTO request_log (at, result, count_needed, count, machine_name, address, cmid, client_time,
    is_vm, license_state, remaining_minutes, product_id)
    VALUES (?, 'granted', 25, 30, 'old-0', '10.1.1.1', ?, 0, 0, 1, 100, ?)`,
  ).run(Date.now(), cmidOf(0), desktop.id);
  db.prepare(`INSERT INTO cmids VALUES (?, ?, 2000, 'old-0', '10.1.1.1', ?)`).run(
    APPLICATION_OS.id,
    cmidOf(0),
    desktop.id,
  );
  db.prepare('INSERT INTO capacities VALUES (?, 50)').run(APPLICATION_OS.id);
  db.prepare(`INSERT INTO counters VALUES ('all', '', -1, 40, 3)`).run();
  db.prepare(`INSERT INTO settings VALUES ('port', '1700')`).run();
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST).toBe(MIGRATIONS.length);
  });

  for (let from = 0; from < LATEST; from++) {
    it(`upgrade a database from version ${from}, keeping its data, after a backup`, async () => {
      const file = databasePath(tmp.dir);
      databaseAt(file, from);
      let report: MigrationReport | undefined;
      const s = openStore({ file, onMigrated: (r) => (report = r) });
      try {
        expect(s.db.pragma('user_version', { simple: true })).toBe(LATEST);
        if (from === 0) {
          expect(report).toMatchObject({ from: 0, to: LATEST, backup: null });
          return;
        }
        expect(report).toMatchObject({ from, to: LATEST });
        expect(report!.backup).toMatch(new RegExp(`quorum\\.db\\.bak-v${from}-\\d{8}T\\d{6}Z$`));
        const backup = new Database(report!.backup!, { readonly: true });
        try {
          expect(backup.pragma('user_version', { simple: true })).toBe(from);
          expect(backup.prepare('SELECT COUNT(*) AS n FROM clients').get()).toEqual({ n: 30 });
        } finally {
          backup.close();
        }
        // Old data reads through the new schema, totals included.
        const all = s.queryClients({
          offset: 0,
          limit: 100,
          sort: { column: 'machineName', direction: 'asc' },
          filter: {},
        });
        expect(all.total).toBe(30);
        expect(all.rows).toHaveLength(30);
        const licensed = s.queryClients({
          offset: 0,
          limit: 100,
          sort: { column: 'cmid', direction: 'asc' },
          filter: { licenseState: 1, productId: desktop.id },
        });
        expect(licensed.total).toBe(15);
        expect(licensed.rows.every((r) => r.licenseState === 1)).toBe(true);
        // The full-text index was built from the old rows: old-1 and old-10 .. old-19.
        const text = s.queryClients({
          offset: 0,
          limit: 100,
          sort: { column: 'cmid', direction: 'asc' },
          filter: { text: 'OLD-1' },
        });
        expect(text.total).toBe(11);
        // Version 9: the planner's 4-gram index and product-name index are gone.
        const gone = s.db
          .prepare("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('clients_grams', 'clients_product_names')")
          .pluck()
          .get();
        expect(gone).toBe(0);
        // Version 11: group_key (version 4) is gone, and the sort indexes are (column, cmid) again;
        // the CMID sort reads the primary key's index, so nine sort indexes remain.
        expect(s.db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all('clients')).not.toContain(
          'group_key',
        );
        const sortIndexes = s.db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'clients_by_%' AND name <> 'clients_by_group'",
          )
          .pluck()
          .all() as string[];
        expect(sortIndexes).toHaveLength(9);
        for (const index of sortIndexes) {
          const cols = s.db.prepare(`SELECT name FROM pragma_index_info(?)`).pluck().all(index);
          // Version 8: the last-seen index also holds the name and the address.
          if (index === 'clients_by_last_seen') {
            expect(cols).toEqual(['last_seen', 'cmid', 'machine_name', 'address']);
          } else expect(cols).toEqual([index.slice('clients_by_'.length), 'cmid']);
        }
        expect(s.db.prepare('SELECT COUNT(*) FROM clients INDEXED BY sqlite_autoindex_clients_1').pluck().get()).toBe(
          30,
        );
        const vmByCmid = s.queryClients({
          offset: 2,
          limit: 100,
          sort: { column: 'cmid', direction: 'desc' },
          filter: { isVm: true },
        });
        expect(vmByCmid.total).toBe(10);
        expect(vmByCmid.rows.map((r) => r.cmid)).toEqual(
          [27, 24, 21, 18, 15, 12, 9, 6, 3, 0].slice(2).map((n) => cmidOf(n)),
        );
        const vmByName = s.queryClients({
          offset: 0,
          limit: 100,
          sort: { column: 'productName', direction: 'asc' },
          filter: { isVm: true, licenseState: 1 },
        });
        expect(vmByName.rows.map((r) => r.cmid)).toEqual([0, 6, 12, 18, 24].map((n) => cmidOf(n)));
        const snap = s.loadEngineSnapshot();
        expect(snap.cmids.map((c) => c.cmid)).toEqual([cmidOf(0)]);
        expect(snap.capacities[APPLICATION_OS.id]).toBe(50);
        expect(snap.counters.all).toMatchObject({ total: 40, failed: 3 });
        expect(s.getSetting('port')).toBe('1700');
        expect(s.queryRequestLog({ offset: 0, limit: 5 }).total).toBe(1);
        // And it keeps working: an old client renews.
        await s.commitActivation(activation({ n: 0, productIndex: 0, licenseState: 1 }));
        const row = s.queryClients({ offset: 0, limit: 1, sort: { column: 'cmid', direction: 'asc' }, filter: {} });
        expect(row.rows[0]).toMatchObject({ cmid: cmidOf(0), requestCount: 5 });
      } finally {
        s.close();
      }
    });
  }

  it('opening an up-to-date database migrates nothing and makes no backup', () => {
    const file = databasePath(tmp.dir);
    openStore({ file }).close();
    let called = false;
    openStore({ file, onMigrated: () => (called = true) }).close();
    expect(called).toBe(false);
  });

  it('refuses a database from a newer build and leaves it byte-for-byte unchanged', () => {
    const file = databasePath(tmp.dir);
    const s = openStore({ file });
    s.setSetting('port', '1688');
    s.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST + 1}`);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = sha256(file);
    for (const readonly of [false, true]) {
      expect(() => openStore({ file, readonly })).toThrow(
        expect.objectContaining({ code: 'STORE_TOO_NEW', message: expect.stringContaining(file) }),
      );
    }
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses an SQLite file of another application and leaves it unchanged', () => {
    const file = databasePath(tmp.dir);
    const raw = new Database(file);
    raw.exec('CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (1)');
    raw.close();
    const before = sha256(file);
    expect(() => openStore({ file })).toThrow(expect.objectContaining({ code: 'STORE_FOREIGN' }));
    expect(sha256(file)).toBe(before);
  });

  it('a read-only open of an older schema asks for the host to upgrade it, and changes nothing', () => {
    const file = databasePath(tmp.dir);
    databaseAt(file, 1);
    const before = sha256(file);
    expect(() => openStore({ file, readonly: true })).toThrow(expect.objectContaining({ code: 'STORE_NEEDS_UPGRADE' }));
    expect(sha256(file)).toBe(before);
  });
});
