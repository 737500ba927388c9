// The console's Overview is live for changes that come with no activation: a setting changed with
// the real `quorum settings set` on the running host's data directory reaches the console as a
// pushed status. Before, the status was pushed only after an activation, so the Overview showed
// the old intervals until the next client came.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostStatusView } from '../../../shared/ipc/views.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';
import { quorum } from '../../support/quorum-cli.js';

let host: HostRuntime;
let service: ConsoleService;
const pushed: HostStatusView[] = [];

beforeAll(async () => {
  const dataDir = tempDataDir();
  activateDataDir(dataDir);
  host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], housekeepingMs: 50 });
  service = createConsoleService(host, { statusCheckMs: 50 });
  service.events.on('host:status-changed', (s) => pushed.push(s));
});

afterAll(async () => {
  service.close();
  await host.close();
});

async function nextPush(matches: (s: HostStatusView) => boolean): Promise<HostStatusView> {
  for (;;) {
    const hit = pushed.find(matches);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('console status pushes', () => {
  it('pushes the new intervals after quorum settings set, with no activation', async () => {
    const result = quorum(['settings', 'set', 'activation-interval', '60', '--data-dir', host.dataDir]);
    expect(result.code).toBe(0);
    const status = await nextPush((s) => s.activationIntervalMin === 60);
    expect(status.renewalIntervalMin).toBe(10_080);
  });
});
