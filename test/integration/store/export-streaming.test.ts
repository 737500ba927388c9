/**
 * Exports as a user runs them, into a pipe: `quorum clients --json | ...`. The export must wait for
 * the reader (never queue the whole inventory in memory), page through the table without losing or
 * repeating a client, and turn a failed write into one error.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamSink } from '../../../src-main/cli/output.js';
import {
  exportClients,
  exportClientsPaged,
  exportRequestLog,
  exportRequestLogPaged,
} from '../../../src-main/store/export.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activation, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
const N = 12_000;
// Many clients share one name, so pages must break ties by CMID.
const nameOf = (n: number) => (n % 4 === 0 ? 'same-name' : `client-${String(n).padStart(6, '0')}-${'x'.repeat(60)}`);

beforeAll(async () => {
  tmp = tempDir();
  const s = openStore({ file: databasePath(tmp.dir) });
  for (let i = 0; i < N; i += 1000) {
    await Promise.all(
      Array.from({ length: 1000 }, (_, j) =>
        s.commitActivation(activation({ n: i + j, machineName: nameOf(i + j), at: Date.now() })),
      ),
    );
  }
  s.close();
}, 120_000);
afterAll(() => tmp.cleanup());

/** Runs the CLI with a preload that records the most bytes ever queued in stdout. */
function exportThroughPipe(format: '--json' | '--csv'): Promise<{ code: number | null; out: string; queued: number }> {
  const tracker = join(tmp.dir, 'track-stdout.cjs');
  writeFileSync(
    tracker,
    `let max = 0; const write = process.stdout.write.bind(process.stdout);
     process.stdout.write = (...a) => { const r = write(...a); max = Math.max(max, process.stdout.writableLength); return r; };
     process.on('exit', () => process.stderr.write('queued ' + max + '\\n'));`,
  );
  const child = spawn('node', ['-r', tracker, 'bin/quorum.js', 'clients', '--data-dir', tmp.dir, format], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, out, queued: Number(/queued (\d+)/.exec(err)?.[1] ?? NaN) })),
  );
}

describe('exports into a pipe', () => {
  it('quorum clients --json waits for the reader: stdout never holds more than a few pages', async () => {
    const r = await exportThroughPipe('--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { cmid: string }[];
    expect(rows).toHaveLength(N);
    expect(r.out.length).toBeGreaterThan(5_000_000);
    // One page is ~250 KB here; the whole export is over 5 MB.
    expect(r.queued).toBeLessThan(1_000_000);
  }, 60_000);

  it('quorum clients --csv through a pipe is the same text as the whole export in one read', async () => {
    const r = await exportThroughPipe('--csv');
    expect(r.code).toBe(0);
    const s = openStore({ file: databasePath(tmp.dir), readonly: true });
    try {
      let whole = '';
      exportClients(s.db, 'csv', (c) => (whole += c));
      expect(r.out).toBe(whole);
    } finally {
      s.close();
    }
  }, 60_000);

  it('paged exports hold every client and log entry exactly once, in the order of the one-read export', async () => {
    const s = openStore({ file: databasePath(tmp.dir), readonly: true });
    try {
      for (const format of ['csv', 'json'] as const) {
        let whole = '';
        let paged = '';
        exportClients(s.db, format, (c) => (whole += c));
        expect(await exportClientsPaged(s.db, format, (c) => void (paged += c))).toBe(N);
        expect(paged).toBe(whole);
        whole = '';
        paged = '';
        exportRequestLog(s.db, format, (c) => (whole += c));
        expect(await exportRequestLogPaged(s.db, format, (c) => void (paged += c))).toBe(N);
        expect(paged).toBe(whole);
      }
      let json = '';
      await exportClientsPaged(s.db, 'json', (c) => void (json += c));
      const cmids = (JSON.parse(json) as { cmid: string; machineName: string }[]).map((r) => r.cmid);
      expect(new Set(cmids).size).toBe(N);
    } finally {
      s.close();
    }
  });
});

describe('the output sink', () => {
  it('waits while the stream is full, so at most one write is queued beyond its buffer', async () => {
    const pending: (() => void)[] = [];
    const slow = new Writable({
      highWaterMark: 64 * 1024,
      write(_chunk, _enc, done) {
        pending.push(done);
      },
    });
    let maxQueued = 0;
    const sink = streamSink(slow);
    const s = openStore({ file: databasePath(tmp.dir), readonly: true });
    try {
      const exporting = exportClientsPaged(s.db, 'csv', async (c) => {
        await sink.write(c);
        maxQueued = Math.max(maxQueued, slow.writableLength);
      });
      let finished = false;
      void exporting.then(() => (finished = true));
      while (!finished) {
        await new Promise((r) => setImmediate(r));
        pending.splice(0).forEach((done) => done());
      }
      expect(await exporting).toBe(N);
    } finally {
      s.close();
    }
    // A page of this table is ~60 KB: queued are the stream's buffer and one page.
    expect(maxQueued).toBeLessThan(64 * 1024 + 200 * 1024);
  });

  it('a stream that fails (a full disk) or is closed (the reader went away) gives one error, not a crash', async () => {
    const full = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      },
    });
    const sink = streamSink(full);
    await expect(
      (async () => {
        await sink.write('a\n');
        await sink.write('b\n');
        await sink.finish();
      })(),
    ).rejects.toMatchObject({ code: 'OUTPUT_FAILED', message: expect.stringContaining('no space left') });

    const closed = new Writable({ write: (_c, _e, done) => done() });
    const closedSink = streamSink(closed);
    closed.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await expect(closedSink.write('a\n')).rejects.toMatchObject({ code: 'OUTPUT_CLOSED' });
  });
});
