/**
 * Durability under SIGKILL: a child process commits activations under load and acknowledges each
 * only after its commit; it is killed at a random moment after its first acknowledgement. After each kill the database must pass
 * `PRAGMA integrity_check` and hold every acknowledged activation (inventory, request log and CMID
 * table). QUORUM_FULL=1 runs 10 rounds; the normal run does 2.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { runQuorum as run } from '../../support/quorum-cli.js';
import { activation, tempDir } from './fixtures.js';

const ROUNDS = process.env.QUORUM_FULL === '1' ? 10 : 2;
const ROOT = resolve(import.meta.dirname, '../../..');
const RECORDS_PER_TICK = 40;
/** Bound on records sent per round, so a round ends even if the kill never lands. */
const MAX_RECORDS = 200_000;

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('quorum-crash-');
});
afterAll(() => tmp.cleanup());

interface RoundResult {
  acked: string[];
  sent: number;
  killAfterMs: number;
  signal: NodeJS.Signals | null;
}

/** Starts the child, streams records until the kill, returns what it acknowledged. */
function runRound(file: string, round: number, killAfterMs: number): Promise<RoundResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/integration/store/crash-child.ts', file], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let buffered = '';
    let ready = false;
    let sent = 0;
    let stderr = '';
    let pump: NodeJS.Timeout | undefined;
    const overall = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdin.on('error', () => {}); // EPIPE once the child is dead
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!; // a half-written line at the kill is not an acknowledgement
      for (const line of lines) {
        if (line === 'ready') {
          ready = true;
          startLoad();
        } else {
          acked.push(line);
          // The kill clock starts at the first acknowledgement, so a slow child start (a busy CI
          // machine) cannot make a round that kills before anything was committed.
          if (acked.length === 1) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
      }
    });
    function startLoad(): void {
      pump = setInterval(() => {
        if (sent >= MAX_RECORDS) return;
        let chunk = '';
        for (let i = 0; i < RECORDS_PER_TICK; i++, sent++) {
          chunk += `${JSON.stringify(activation({ n: round * 1_000_000 + sent, at: Date.now() }))}\n`;
        }
        child.stdin.write(chunk);
      }, 1);
    }
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearInterval(pump);
      clearTimeout(overall);
      if (!ready) fail(new Error(`crash child never became ready: ${stderr}`));
      else done({ acked, sent, killAfterMs, signal });
    });
  });
}

describe(`store durability under SIGKILL (${ROUNDS} rounds)`, () => {
  it('keeps every acknowledged activation and an intact database after each kill', async () => {
    const file = databasePath(tmp.dir);
    const everAcked: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const killAfterMs = Math.floor(Math.random() * 400);
      const r = await runRound(file, round, killAfterMs);
      const context = `round ${round}, killed ${killAfterMs} ms after the first ack, ${r.sent} sent, ${r.acked.length} acked`;
      expect(r.signal, context).toBe('SIGKILL');
      expect(r.acked.length, context).toBeGreaterThan(0);
      everAcked.push(...r.acked);

      // While the host is down, as an admin would look: `quorum clients --json`.
      const down = await run('clients', '--data-dir', tmp.dir, '--json');
      expect(down.code, `${context}: ${down.err}`).toBe(0);
      const listed = new Set((JSON.parse(down.out) as { cmid: string }[]).map((c) => c.cmid));
      expect(
        everAcked.filter((c) => !listed.has(c)),
        `${context}: acknowledged but not listed while the host is down`,
      ).toEqual([]);

      // Then as the restarted host sees it.
      const s = openStore({ file });
      try {
        expect(s.db.pragma('integrity_check', { simple: true }), context).toBe('ok');
        const has = (table: string) => {
          const stmt = s.db.prepare(`SELECT 1 FROM ${table} WHERE cmid = ? LIMIT 1`);
          return everAcked.filter((c) => stmt.get(c) === undefined);
        };
        expect(has('clients'), `${context}: acknowledged but missing from the inventory`).toEqual([]);
        expect(has('request_log'), `${context}: acknowledged but missing from the request log`).toEqual([]);
        expect(has('cmids'), `${context}: acknowledged but missing from the CMID table`).toEqual([]);
        // Startup after the crash rebuilds the engine state.
        expect(s.loadEngineSnapshot().counters.all.total).toBeGreaterThanOrEqual(everAcked.length);
      } finally {
        s.close();
      }
    }
  }, 120_000);
});
