// What the desktop app's start-up problem page says for a damaged and for a locked data directory:
// real start-up failures of a real host, not made-up errors.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuorumError } from '../../../shared/domain/errors.js';
import { startHost } from '../../../src-main/host/host-runtime.js';
import { describeStartupProblem, startupProblemHtml } from '../../../src-main/service/startup-problem.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';

async function startFailure(dataDir: string): Promise<unknown> {
  try {
    const host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
    await host.close();
  } catch (e) {
    return e;
  }
  throw new Error('the host started');
}

describe('the start-up problem page', () => {
  it('offers the restore for a damaged database', async () => {
    const dataDir = tempDataDir();
    writeFileSync(join(dataDir, 'quorum.db'), 'not a database, but <b>text</b> '.repeat(200));
    const p = describeStartupProblem(await startFailure(dataDir), { dataDir, port: 1688 });
    expect(p.code).toBe('STORE_CORRUPT');
    expect(p.fixes.join(' ')).toMatch(/restore the newest quorum\.db\.bak-\*/);
    expect(startupProblemHtml(p)).toContain(dataDir);
  });

  it('names the other host for a data directory in use', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir, 'server');
    const running = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
    try {
      const p = describeStartupProblem(await startFailure(dataDir), { dataDir, port: 1688 });
      expect(p.code).toBe('HOST_ALREADY_RUNNING');
      expect(p.fixes.join(' ')).toMatch(/quorum serve/);
    } finally {
      await running.close();
    }
  });

  it('says how to build SQLite for Electron when that build is missing', async () => {
    const dataDir = tempDataDir();
    const missing = join(dataDir, 'native', 'electron', 'better_sqlite3.node');
    let error: unknown;
    try {
      new Database(join(dataDir, 'x.db'), { nativeBinding: missing });
    } catch (e) {
      error = e;
    }
    const p = describeStartupProblem(error, { dataDir, port: 1688 });
    expect(p.fixes.join(' ')).toContain('npm run rebuild:electron');
  });

  it('escapes what it shows', () => {
    const p = describeStartupProblem(new QuorumError('STORE_CORRUPT', 'bad <script>x</script>'), {
      dataDir: '/tmp/"q"',
      port: 1688,
    });
    const html = startupProblemHtml(p);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&quot;q&quot;');
  });
});
