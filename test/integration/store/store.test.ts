import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_OFFICE, APPLICATION_OS, VirtualClock } from '../../../shared/domain/index.js';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import type { ActivationRecord } from '../../../src-main/store/types.js';
import { activation, cmidOf, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore | undefined;
const clock = new VirtualClock(Date.UTC(2026, 0, 2));

beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  store?.close();
  store = undefined;
  tmp.cleanup();
});

function open(): SqliteStore {
  store = openStore({ file: databasePath(tmp.dir), clock });
  return store;
}

describe('SqliteStore: recording activations', () => {
  it('creates quorum.db in WAL mode at the latest schema', () => {
    const s = open();
    expect(s.file).toBe(`${tmp.dir}/quorum.db`);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.stats().schemaVersion).toBeGreaterThanOrEqual(2);
  });

  it('commits activations that arrive together in one journal transaction, then applies them in one batch', async () => {
    const s = open();
    const batches: ActivationRecord[][] = [];
    s.onCommitted((r) => batches.push(r));
    const records = Array.from({ length: 50 }, (_, n) => activation({ n }));
    await Promise.all(records.map((r) => s.commitActivation(r)));
    const other = new Database(s.file, { readonly: true });
    const count = (table: string) => (other.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    try {
      // On resolve the activations are durable (another connection sees them in the journal) ...
      expect(count('activation_journal')).toBe(50);
      expect(batches).toHaveLength(0);
      // ... and one apply moves them to the inventory and the request log, emptying the journal.
      s.applyPending();
      expect([count('clients'), count('request_log'), count('activation_journal')]).toEqual([50, 50, 0]);
    } finally {
      other.close();
    }
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((r) => r.input.cmid)).toEqual(records.map((r) => r.input.cmid));
    expect(s.stats()).toMatchObject({ clients: 50, requestLogRows: 50, commits: 1, largestBatch: 50 });
    expect(s.stats()).toMatchObject({ journalPending: 0, journalApplies: 1, journalFailedRows: 0 });
  });

  it('applies committed journal rows by itself shortly after, without a read', async () => {
    const s = open();
    const applied = new Promise<ActivationRecord[]>((resolve) => s.onCommitted(resolve));
    await s.commitActivation(activation({ n: 7 }));
    const records = await applied;
    expect(records.map((r) => r.input.cmid)).toEqual([cmidOf(7)]);
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM activation_journal').get()).toEqual({ n: 0 });
    expect(s.db.prepare('SELECT cmid FROM clients').all()).toEqual([{ cmid: cmidOf(7) }]);
  });

  it('keeps one inventory row per CMID: first/last seen, request count, addresses, last result', async () => {
    const s = open();
    await s.commitActivation(activation({ n: 1, at: 1000, address: '10.0.0.1', result: 'count-insufficient' }));
    await s.commitActivation(activation({ n: 1, at: 5000, address: '10.0.0.2', licenseState: 1 }));
    await s.commitActivation(activation({ n: 1, at: 9000, address: '10.0.0.1', licenseState: 1 }));
    const w = s.queryClients({ offset: 0, limit: 10, sort: { column: 'cmid', direction: 'asc' }, filter: {} });
    expect(w.total).toBe(1);
    expect(w.rows[0]).toMatchObject({
      cmid: cmidOf(1),
      address: '10.0.0.1',
      firstSeen: 1000,
      lastSeen: 9000,
      requestCount: 3,
      lastResult: 'granted',
      licenseState: 1,
      productName: 'Quorum Desktop 2',
    });
    const addresses = s.db.prepare('SELECT addresses FROM clients').get() as { addresses: string };
    expect(addresses.addresses).toBe('10.0.0.1,10.0.0.2');
    // The text index follows a client whose address changed.
    const byText = (text: string) =>
      s.queryClients({ offset: 0, limit: 5, sort: { column: 'cmid', direction: 'asc' }, filter: { text } }).total;
    expect(byText('10.0.0.1')).toBe(1);
    expect(byText('10.0.0.2')).toBe(0);
    expect(byText('PC-00001')).toBe(1);
    // The totals follow a client whose license state changed.
    expect(
      s.queryClients({ offset: 0, limit: 1, sort: { column: 'cmid', direction: 'asc' }, filter: { licenseState: 2 } })
        .total,
    ).toBe(0);
  });

  it('logs every request with the fields of event 12290, newest first', async () => {
    const s = open();
    const t = clock.now() - 60_000;
    await s.commitActivation(activation({ n: 4, at: t, count: 3, result: 'count-insufficient', isVm: true }));
    await s.commitActivation(activation({ n: 5, at: t + 1000 }));
    const log = s.queryRequestLog({ offset: 0, limit: 10 });
    expect(log.total).toBe(2);
    expect(log.rows.map((r) => r.cmid)).toEqual([cmidOf(5), cmidOf(4)]);
    expect(log.rows[1]).toMatchObject({
      at: t,
      result: 'count-insufficient',
      count: 3,
      countNeeded: 5,
      machineName: 'pc-00004',
      clientTime: t - 5000,
      isVm: true,
      licenseState: 2,
      remainingMinutes: 43_196,
    });
    expect(s.queryRequestLog({ offset: 0, limit: 1, newestFirst: false }).rows[0]!.cmid).toBe(cmidOf(4));
  });

  it('rebuilds the engine state on reopen: CMID tables, capacities, counters', async () => {
    const s = open();
    const r1 = activation({ n: 0, productIndex: 0 });
    const r2 = activation({ n: 1, productIndex: 4, result: 'count-insufficient', licenseState: 0 });
    r2.changes.push({ kind: 'capacity', applicationId: APPLICATION_OFFICE.id, capacity: 10 });
    const r3 = activation({ n: 2, productIndex: 0 });
    r3.changes.push({ kind: 'cmid-remove', applicationId: APPLICATION_OS.id, cmid: cmidOf(0) });
    await Promise.all([s.commitActivation(r1), s.commitActivation(r2)]);
    await s.commitActivation(r3);
    await s.commitRefusal({ at: clock.now(), result: 'admission-refused', address: '192.0.2.9' });
    s.close();
    const snap = open().loadEngineSnapshot();
    expect(snap.cmids.map((c) => c.cmid).sort()).toEqual([cmidOf(1), cmidOf(2)]);
    expect(snap.cmids.find((c) => c.cmid === cmidOf(1))).toMatchObject({ applicationId: APPLICATION_OFFICE.id });
    expect(snap.capacities).toEqual({ [APPLICATION_OFFICE.id]: 10 });
    // Only the admission refusal failed; the below-threshold answer was handled.
    expect(snap.counters.all).toEqual({ total: 4, failed: 1, byLicenseState: { 0: 1, 2: 2 } });
    expect(snap.counters.byApplication[APPLICATION_OS.id]).toEqual({ total: 2, failed: 0, byLicenseState: { 2: 2 } });
    expect(snap.counters.byProduct[r2.input.productId]).toEqual({ total: 1, failed: 0, byLicenseState: { 0: 1 } });
    // A refusal is logged and counted, but adds no client.
    expect(store!.stats()).toMatchObject({ clients: 3, requestLogRows: 4 });
  });

  it('keeps settings and DNS events', () => {
    const s = open();
    expect(s.getSetting('port')).toBeUndefined();
    s.setSetting('port', '1688');
    s.setSetting('port', '1700');
    expect(s.getSetting('port')).toBe('1700');
    s.recordDnsEvent({ at: 1, domain: 'example.test', action: 'publish', ok: false, message: 'REFUSED' });
    s.recordDnsEvent({ at: 2, domain: 'example.test', action: 'publish', ok: true, message: 'published' });
    expect(s.listDnsEvents().map((e) => [e.ok, e.message])).toEqual([
      [true, 'published'],
      [false, 'REFUSED'],
    ]);
  });

  it('writes what is queued when closed, and refuses writes afterwards', async () => {
    const s = open();
    const p = s.commitActivation(activation({ n: 9 }));
    s.close();
    await p;
    store = undefined;
    const again = open();
    expect(again.stats().clients).toBe(1);
  });

  it('a read-only store reads while the host writes, and refuses to record', async () => {
    const s = open();
    await s.commitActivation(activation({ n: 1 }));
    const reader = openStore({ file: s.file, readonly: true });
    try {
      await s.commitActivation(activation({ n: 2 }));
      // Another process sees an activation once it is applied (the host applies within ~20 ms).
      s.applyPending();
      expect(reader.stats().clients).toBe(2);
      await expect(reader.commitActivation(activation({ n: 3 }))).rejects.toMatchObject({ code: 'STORE_READONLY' });
    } finally {
      reader.close();
    }
  });
});
