/**
 * The activation journal: an acknowledged activation is durable as one journal row; the inventory,
 * request log, CMID table and counters follow in batches. A process killed in between loses
 * nothing (the next open replays), a row that cannot be applied never blocks the others or the
 * start, and a locked database delays the apply without losing anything.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, openStore, type SqliteStore } from '../../../src-main/store/open-store.js';
import type { ActivationRecord } from '../../../src-main/store/types.js';
import { encodeJournalRecord } from '../../../src-main/store/journal-record.js';
import { activation, cmidOf, tempDir } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dirs: ReturnType<typeof tempDir>[] = [];
const stores: SqliteStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) d.cleanup();
});

function freshFile(): string {
  const d = tempDir('quorum-journal-');
  dirs.push(d);
  return databasePath(d.dir);
}

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('activation journal', () => {
  it('replays at open what a killed process committed but never applied', () => {
    const file = freshFile();
    const child = spawnSync(
      process.execPath,
      ['bin/run-ts.js', 'test/integration/store/journal-child.ts', file, '100'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(child.stdout).toBe('committed\n');
    // Killed between commit and apply: all in the journal, nothing in the inventory yet.
    expect(count(file, 'SELECT COUNT(*) FROM activation_journal')).toBe(100);
    expect(count(file, 'SELECT COUNT(*) FROM clients')).toBe(0);

    const s = openStore({ file });
    stores.push(s);
    expect(count(file, 'SELECT COUNT(*) FROM activation_journal')).toBe(0);
    expect(count(file, 'SELECT COUNT(*) FROM clients')).toBe(100);
    expect(count(file, 'SELECT COUNT(*) FROM request_log')).toBe(100);
    expect(count(file, 'SELECT COUNT(*) FROM cmids')).toBe(100);
    expect(s.loadEngineSnapshot().counters.all.total).toBe(100);
  });

  it('keeps a row it cannot apply, marked, and applies the rest, at open and while running', async () => {
    const file = freshFile();
    openStore({ file }).close();
    const raw = new Database(file);
    const insert = raw.prepare('INSERT INTO activation_journal (body) VALUES (?)');
    insert.run(JSON.stringify({ kind: 'activation', record: activation({ n: 1 }) }));
    insert.run('{"kind": "activation", "rec');
    insert.run(JSON.stringify({ kind: 'activation', record: { at: 1 } }));
    // This build's binary rows: one cut short, one whole.
    insert.run(encodeJournalRecord({ kind: 'activation', record: activation({ n: 9 }) }).subarray(0, 40));
    insert.run(encodeJournalRecord({ kind: 'activation', record: activation({ n: 2 }) }));
    raw.close();

    const s = openStore({ file });
    stores.push(s);
    expect(s.db.prepare('SELECT cmid FROM clients ORDER BY cmid').pluck().all()).toEqual([cmidOf(1), cmidOf(2)]);
    const kept = s.db.prepare('SELECT seq, error FROM activation_journal ORDER BY seq').all() as {
      seq: number;
      error: string;
    }[];
    expect(kept.map((k) => k.seq)).toEqual([2, 3, 4]);
    expect(kept[0]!.error).toMatch(/JSON/);
    expect(kept[2]!.error).toMatch(/ends early/);
    expect(s.stats().journalFailedRows).toBe(3);

    // A later good activation is applied past the marked rows, and they stay.
    await s.commitActivation(activation({ n: 3 }));
    s.applyPending();
    expect(s.db.prepare('SELECT COUNT(*) FROM clients').pluck().get()).toBe(3);
    expect(s.db.prepare('SELECT COUNT(*) FROM activation_journal').pluck().get()).toBe(3);
  });

  it('a locked database delays the apply; reads still answer, and nothing is lost once it is free', async () => {
    const file = freshFile();
    const errors: string[] = [];
    const s = openStore({ file, busyTimeoutMs: 50, onJournalError: (e) => errors.push(e.code) });
    stores.push(s);
    await s.commitActivation(activation({ n: 1 }));
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    s.applyPending();
    expect(errors).toEqual(['STORE_LOCKED']);
    expect(s.stats().journalPending).toBe(1);
    expect(count(file, 'SELECT COUNT(*) FROM activation_journal')).toBe(1);

    const applied = new Promise<ActivationRecord[]>((done) => s.onCommitted(done));
    other.exec('COMMIT');
    other.close();
    // Retried in the background after the fault, without a read asking for it.
    expect((await applied).map((r) => r.input.cmid)).toEqual([cmidOf(1)]);
    expect(count(file, 'SELECT COUNT(*) FROM clients')).toBe(1);
    expect(count(file, 'SELECT COUNT(*) FROM activation_journal')).toBe(0);
  });

  it('a reader waits for the scheduled batch instead of applying one of its own', async () => {
    const file = freshFile();
    const s = openStore({ file });
    stores.push(s);
    await s.whenApplied(); // nothing pending: settles at once
    await Promise.all([1, 2].map((n) => s.commitActivation(activation({ n }))));
    expect(count(file, 'SELECT COUNT(*) FROM activation_journal')).toBe(2);
    let settled = false;
    const wait = s.whenApplied().then(() => (settled = true));
    // Asking added no transaction: the rows are still pending on this turn.
    expect(count(file, 'SELECT COUNT(*) FROM clients')).toBe(0);
    await s.commitActivation(activation({ n: 3 }));
    await wait;
    expect(settled).toBe(true);
    expect(count(file, 'SELECT COUNT(*) FROM clients')).toBeGreaterThanOrEqual(2);
  });

  it('a reader waiting on a locked database goes ahead with what is applied', async () => {
    const file = freshFile();
    const s = openStore({ file, busyTimeoutMs: 50, onJournalError: () => undefined });
    stores.push(s);
    await s.commitActivation(activation({ n: 1 }));
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      await s.whenApplied();
      expect(s.stats().journalPending).toBe(1);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
  });

  it('close applies what is pending, so a clean stop leaves the journal empty', async () => {
    const file = freshFile();
    const s = openStore({ file });
    await Promise.all([1, 2, 3].map((n) => s.commitActivation(activation({ n }))));
    s.close();
    expect(count(file, 'SELECT COUNT(*) FROM activation_journal')).toBe(0);
    expect(count(file, 'SELECT COUNT(*) FROM clients')).toBe(3);
  });
});
