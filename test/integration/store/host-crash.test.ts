/**
 * Durability of the real host under SIGKILL: `quorum serve` runs as a child process, real clients
 * activate over TCP on loopback, and the host is killed at a random moment. After each kill the
 * database must pass `PRAGMA integrity_check` and hold every activation whose signed reply a
 * client received. QUORUM_FULL=1 runs 10 rounds; the normal run does 2.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSignedResponse, encodeActivationRequest } from '../../../shared/protocol/index.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';
import { runQuorum as run } from '../../support/quorum-cli.js';

const ROUNDS = process.env.QUORUM_FULL === '1' ? 10 : 2;
const ROOT = resolve(import.meta.dirname, '../../..');
const CLIENTS = 16;
/** Bound on requests per client per round, so a round ends even if the kill never lands. */
const MAX_REQUESTS_PER_CLIENT = 5_000;

let dataDir: string;
beforeAll(() => {
  dataDir = tempDataDir('quorum-host-crash-');
  activateDataDir(dataDir, 'desktop');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startServe(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['bin/quorum.js', 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--console', 'off'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`quorum serve did not start: ${output}`));
    }, 20_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        done({ child, port: Number(m[1]) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', () => {
      clearTimeout(timer);
      fail(new Error(`quorum serve exited before listening: ${output}`));
    });
  });
}

/** The CMIDs `quorum clients --json` lists now (the host running or not), as an admin would look. */
async function listed(context: string): Promise<Set<string>> {
  const r = await run('clients', '--data-dir', dataDir, '--json');
  expect(r.code, `${context}: ${r.err}`).toBe(0);
  return new Set((JSON.parse(r.out) as { cmid: string }[]).map((c) => c.cmid));
}

async function runRound(
  killAfterMs: number,
  afterStart: () => Promise<void>,
): Promise<{ replied: string[]; errors: number }> {
  const { child, port } = await startServe();
  await afterStart();
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const replied: string[] = [];
  let errors = 0;
  let killed = false;
  let killTimer: NodeJS.Timeout | undefined;
  const client = async () => {
    for (let i = 0; i < MAX_REQUESTS_PER_CLIENT && !killed; i++) {
      const req = activationRequest('desktop');
      try {
        const reply = await rpcCall({ host: '127.0.0.1', port }, 0, encodeActivationRequest(req), { timeoutMs: 3000 });
        const { response } = decodeSignedResponse(reply);
        if (response.cmid === req.cmid) replied.push(req.cmid);
        killTimer ??= setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, killAfterMs);
      } catch {
        errors++;
        if (killed) return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CLIENTS }, client));
  } finally {
    clearTimeout(killTimer);
    child.kill('SIGKILL');
    await exited;
  }
  return { replied, errors };
}

describe(`host durability under SIGKILL, real TCP clients (${ROUNDS} rounds)`, () => {
  it('every activation a client got a reply for is in the database, which stays intact', async () => {
    const everReplied: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const killAfterMs = 100 + Math.floor(Math.random() * 600);
      // After the restart, with the host running: what the rounds before were told is listed.
      const r = await runRound(killAfterMs, async () => {
        const up = await listed(`round ${round}, after the restart`);
        expect(
          everReplied.filter((c) => !up.has(c)),
          `round ${round}: missing after the restart`,
        ).toEqual([]);
      });
      const context = `round ${round}, killed ${killAfterMs} ms after the first reply, ${r.replied.length} replies`;
      expect(r.replied.length, context).toBeGreaterThan(0);
      everReplied.push(...r.replied);
      // While the host is down: every activation a client was told of is listed.
      const down = await listed(context);
      expect(
        everReplied.filter((c) => !down.has(c)),
        `${context}: missing while the host is down`,
      ).toEqual([]);
      const s = openStore({ file: databasePath(dataDir) });
      try {
        expect(s.db.pragma('integrity_check', { simple: true }), context).toBe('ok');
        const missing = (table: string) => {
          const stmt = s.db.prepare(`SELECT 1 FROM ${table} WHERE cmid = ? LIMIT 1`);
          return everReplied.filter((c) => stmt.get(c) === undefined);
        };
        expect(missing('clients'), `${context}: replied to but not in the inventory`).toEqual([]);
        expect(missing('request_log'), `${context}: replied to but not in the request log`).toEqual([]);
        const granted = s.db.prepare("SELECT COUNT(*) AS n FROM request_log WHERE result = 'granted'").get() as {
          n: number;
        };
        expect(granted.n, context).toBeGreaterThan(0);
      } finally {
        s.close();
      }
    }
  }, 180_000);
});
