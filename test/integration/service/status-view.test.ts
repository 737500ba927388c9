// The console's Overview data from a real host: the key card and which thresholds the key covers.
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { buildStatusView } from '../../../src-main/service/status-view.js';
import { activateDataDir, tempDataDir } from '../../support/activated-host.js';

let host: HostRuntime | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('the host status view', () => {
  it('shows the activated key with its limits, and marks products a desktop key does not cover', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir, 'desktop');
    host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
    const view = buildStatusView(host);
    expect(view.hostKey).toMatchObject({
      covers: 'desktop, generations 1 to 3',
      activated: true,
      method: 'online',
      hostsUsed: 1,
      hostsLimit: 6,
      activationNumber: 1,
      activationsLimit: 10,
      pendingInstallationId: null,
    });
    expect(view.hostKey!.maskedKey).toMatch(/^\*{5}-\*{5}-\*{5}-\*{5}-[0-9A-Z]{5}$/);
    const lines = view.applications.flatMap((a) => a.thresholds);
    const desktop = lines.find((t) => t.products.some((p) => p.includes('Desktop')))!;
    const server = lines.find((t) => t.products.some((p) => p.includes('Server')))!;
    const office = lines.find((t) => t.products.some((p) => p.includes('Office')))!;
    expect(desktop.uncovered).toEqual([]);
    expect(server.uncovered).toEqual(server.products);
    expect(office.uncovered).toEqual(office.products);
  });

  it('has no key card and marks nothing uncovered before a key is installed', async () => {
    host = await startHost({ dataDir: tempDataDir(), listen: [{ host: '127.0.0.1', port: 0 }] });
    const view = buildStatusView(host);
    expect(view.hostKey).toBeNull();
    expect(view.applications.flatMap((a) => a.thresholds).every((t) => t.uncovered.length === 0)).toBe(true);
  });
});
