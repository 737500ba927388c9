// One host per data directory: a second one, in this process or another, is refused by name;
// the lock goes with its holder, however that ends (close, SIGKILL).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuorumError } from '../../../shared/domain/errors.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';
import { serve } from '../../support/quorum-cli.js';

const start = (dataDir: string): Promise<HostRuntime> =>
  startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });

async function refusal(p: Promise<unknown>): Promise<QuorumError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(QuorumError);
  return e as QuorumError;
}

describe('the host lock', () => {
  it('refuses a second host on the same data directory, naming the first, until the first closes', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir);
    const first = await start(dataDir);
    const e = await refusal(start(dataDir));
    expect(e.code).toBe('HOST_ALREADY_RUNNING');
    expect(e.message).toContain(dataDir);
    expect(e.message).toContain(`process ${process.pid}`);
    // The refused host left the first one serving and its database alone.
    expect(first.gate().serving).toBe(true);
    await first.close();
    expect(existsSync(join(dataDir, 'host.lock.json'))).toBe(false);
    const second = await start(dataDir);
    await second.close();
  });

  it('is held by a quorum serve process and released when that process is killed', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir);
    const served = await serve(dataDir);
    const e = await refusal(start(dataDir));
    expect(e.code).toBe('HOST_ALREADY_RUNNING');
    expect(e.message).toContain(`process ${served.process.pid}`);
    const exited = new Promise((resolve) => served.process.once('exit', resolve));
    served.process.kill('SIGKILL');
    await exited;
    // No stale lock after a crash: the operating system released it with the process.
    const after = await start(dataDir);
    expect(after.gate().serving).toBe(true);
    await after.close();
  });

  it("does not stop the CLI from reading a running host's data directory", async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir);
    const host = await start(dataDir);
    try {
      const { main } = await import('../../../src-main/cli/main.js');
      const io = { text: '', out: (t: string) => void (io.text += t), err: (t: string) => void (io.text += t) };
      expect(await main(['status', '--data-dir', dataDir], io)).toBe(0);
      expect(await main(['key', 'info', '--data-dir', dataDir], io)).toBe(0);
    } finally {
      await host.close();
    }
  });
});
