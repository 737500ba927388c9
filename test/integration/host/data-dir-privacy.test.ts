// The data directory holds the full host key (in quorum.db) and three secrets. Every file in it
// is owner-only whatever made it (SQLite, an older build, a restore, a umask of 022), a directory
// others can read is reported (log, status view), and a secret is replaced atomically: a reader
// never sees it empty or half-written, and no temporary file is left behind.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { loadOrCreateConsoleToken } from '../../../src-main/headless/console-token.js';
import { buildStatusView } from '../../../src-main/service/status-view.js';
import { writePrivateFile } from '../../../src-main/store/private-files.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';
import { runQuorum } from '../../support/quorum-cli.js';

let host: HostRuntime | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the data directory is private', () => {
  it('every file is 0600 after start, whatever made it; a directory others can read is a warning in the log and the status', async () => {
    const dataDir = join(tempDataDir(), 'office-host');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    activateDataDir(dataDir);
    // As an older build, a restore or a copy with umask 022 leaves them.
    writeFileSync(join(dataDir, 'quorum.db.bak-v7-20260101T000000Z'), 'old backup', { mode: 0o644 });
    chmodSync(join(dataDir, 'quorum.db'), 0o644);
    const logged: string[] = [];
    host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], log: (l) => logged.push(l) });
    loadOrCreateConsoleToken(dataDir);
    const files = readdirSync(dataDir);
    expect(files).toEqual(
      expect.arrayContaining(['quorum.db', 'quorum.db-wal', 'quorum.db-shm', 'host-identity.pem', 'authority-secret']),
    );
    expect(files.includes('console-token')).toBe(true);
    for (const f of files) expect(`${f} ${modeOf(join(dataDir, f)).toString(8)}`).toBe(`${f} 600`);
    const warning = `The data directory ${dataDir} can be read by other users of this machine (mode 0755).`;
    expect(logged.join('\n')).toContain(`warning: ${warning}`);
    expect(logged.join('\n')).toMatch(/made owner-only \(mode 0600\): .*quorum\.db/);
    expect(buildStatusView(host).warnings).toEqual([expect.stringContaining(warning)]);
    expect(buildStatusView(host).warnings![0]).toContain(`chmod 700 ${dataDir}`);

    chmodSync(dataDir, 0o700);
    expect(buildStatusView(host).warnings).toEqual([]);
  });

  it('a secret is written 0600 even under umask 0, and no temporary file is left', () => {
    const dir = tempDataDir();
    const old = process.umask(0);
    try {
      writePrivateFile(join(dir, 'secret'), 'one\n');
      writePrivateFile(join(dir, 'secret'), 'two\n');
      expect(writePrivateFile(join(dir, 'secret'), 'three\n', { exclusive: true })).toBe('exists');
    } finally {
      process.umask(old);
    }
    expect(readdirSync(dir)).toEqual(['secret']);
    expect(modeOf(join(dir, 'secret'))).toBe(0o600);
  });

  it('a reader polling a secret while it is rewritten never sees it empty or partial', async () => {
    const dir = tempDataDir();
    const file = join(dir, 'console-token');
    const stop = join(tempDataDir(), 'stop');
    const versions = ['a', 'b'].map((c) => c.repeat(256 * 1024));
    writePrivateFile(file, versions[0]!);
    // The reader runs in its own process, so it can read between the writer's system calls.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); let bad = 0, reads = 0; process.stderr.write('go'); const end = Date.now() + 5000;
         while (Date.now() < end && reads < 200000 && !fs.existsSync(${JSON.stringify(stop)})) { reads++;
           let t = ''; try { t = fs.readFileSync(${JSON.stringify(file)}, 'utf8'); } catch { continue; }
           if (t.length !== ${256 * 1024} || (t[0] !== t[t.length - 1])) bad++; }
         process.stdout.write(JSON.stringify({ bad, reads }));`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise((resolve) => reader.stderr.once('data', resolve));
    let out = '';
    reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const done = new Promise<void>((resolve) => reader.on('exit', () => resolve()));
    const t0 = Date.now();
    for (let i = 0; reader.exitCode === null && i < 2_000 && (i < 60 || Date.now() - t0 < 300); i++) {
      writePrivateFile(file, versions[i % 2]!);
      await new Promise((r) => setImmediate(r));
    }
    writeFileSync(stop, '');
    await done;
    const { bad, reads } = JSON.parse(out) as { bad: number; reads: number };
    expect(reads).toBeGreaterThan(0);
    expect(bad).toBe(0);
    expect(readdirSync(dir)).toEqual(['console-token']);
  });
});

describe('quorum status', () => {
  it('names a data directory others can read, and says nothing when it is owner-only', async () => {
    const dataDir = join(tempDataDir(), 'office-host');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    activateDataDir(dataDir);
    const exposed = await runQuorum('status', '--data-dir', dataDir);
    expect(exposed.code).toBe(0);
    expect(exposed.out).toMatch(
      /^Warning: +The data directory .* can be read by other users of this machine \(mode 0755\)/m,
    );
    chmodSync(dataDir, 0o700);
    expect((await runQuorum('status', '--data-dir', dataDir)).out).not.toContain('Warning:');
  });
});
