// `quorum serve` is the host process itself (no wrapper child), so a service manager's signals reach
// it; SIGINT and SIGTERM stop it cleanly with exit code 0 and the database intact.
import { type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../../support/activated-host.js';
import { activatedDataDir, quorum, serve } from '../../support/quorum-cli.js';

async function startServe(dataDir: string) {
  const served = await serve(dataDir);
  return { child: served.process, output: served.output, port: served.port };
}

/** The inode of the socket listening on a TCP port (from /proc/net/tcp and tcp6). */
function listeningInode(port: number): string | undefined {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth field.
      if (f[1]?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`) && f[3] === '0A') return f[9];
    }
  }
  return undefined;
}

/** Whether the process holds the socket (its file descriptors, from /proc/PID/fd). */
function holdsSocket(pid: number, inode: string): boolean {
  const dir = `/proc/${pid}/fd`;
  return readdirSync(dir).some((fd) => {
    try {
      return readlinkSync(join(dir, fd)) === `socket:[${inode}]`;
    } catch {
      return false;
    }
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('quorum serve lifecycle', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops cleanly on %s', async (signal) => {
    const dataDir = tempDataDir();
    const { child, output, port } = await startServe(dataDir);
    // The listening socket belongs to this very process, not to a wrapper's child: the signal
    // reaches the host itself. (A child may exist: tsx's esbuild service, while it compiles.)
    const inode = listeningInode(port);
    expect(inode).toBeDefined();
    expect(holdsSocket(child.pid!, inode!)).toBe(true);
    const exited = exitOf(child);
    child.kill(signal);
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output()).toContain(`${signal}: shutting down`);
    expect(output()).toMatch(/stopped\n$/);
    const db = new Database(join(dataDir, 'quorum.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('says in one line what to do when the host key is missing', async () => {
    const { child, output } = await startServe(tempDataDir());
    const exited = exitOf(child);
    child.kill('SIGTERM');
    await exited;
    expect(output()).toMatch(/not activating clients yet: .*quorum (authority issue|key install)/);
  });

  it('listens on every address by default, so IPv4 and IPv6 clients both reach it', async () => {
    const served = await serve(activatedDataDir(), { allAddresses: true });
    try {
      expect(served.output()).toContain(`listening on [::]:${served.port} (IPv6 and IPv4)`);
      for (const host of ['127.0.0.1', '[::1]']) {
        const state = join(tempDataDir(), 'client.json');
        const r = quorum([
          'client',
          'activate',
          '--host',
          `${host}:${served.port}`,
          '--product',
          'desktop',
          '--state',
          state,
        ]);
        // The host answered: one client is not yet the 25 a desktop product needs.
        expect(r.stderr, host).toContain('CLIENT_COUNT_INSUFFICIENT');
      }
    } finally {
      await served.stop();
    }
  });
});
