// What the console's "needs attention" list and the tray notifications are fed: real activations
// over TCP crossing a threshold, one CMID arriving from two machine names (a cloned image), and
// requests for products the host key does not cover. Events are stored: a second service on the
// same database (a restart) still lists them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeActivationRequest } from '../../../shared/protocol/index.js';
import type { HostEventView } from '../../../shared/ipc/views.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { activationRequest, startActivatedHost } from '../../support/activated-host.js';

let host: HostRuntime;
let service: ConsoleService;
const pushed: HostEventView[] = [];

beforeAll(async () => {
  host = await startActivatedHost('desktop');
  service = createConsoleService(host);
  service.events.on('host:event', (e) => pushed.push(e));
});
afterAll(async () => {
  service.close();
  await host.close();
});

const send = (product: string, overrides: Parameters<typeof activationRequest>[1]) =>
  rpcCall(
    { host: '127.0.0.1', port: host.addresses()[0]!.port },
    0,
    encodeActivationRequest(activationRequest(product, overrides)),
  );

describe('host events for the console and the tray', () => {
  it('raises no threshold event for products the key does not cover', async () => {
    // A desktop-only key: five desktop clients reach the server threshold (5), which activates no server.
    for (let i = 1; i <= 5; i++) await send('desktop', { machineName: `pc-${i}` });
    expect(pushed.filter((e) => e.kind === 'threshold-up')).toEqual([]);
  });

  it('raises one stored episode for requests for an uncovered product', async () => {
    await send('server', { machineName: 'srv-1' });
    await send('server', { machineName: 'srv-2' });
    const listed = (await service.contract['host:events']({})).filter((e) => e.kind === 'product-not-covered');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ severity: 'warning', view: 'clients', acknowledgedAt: null });
    expect(listed[0]!.message).toMatch(/Quorum Server 3.*does not cover/);
  });

  it('warns about a cloned image once per episode and says what to do', async () => {
    for (const n of [1, 2]) {
      const cloned = activationRequest('desktop').cmid;
      await send('desktop', { cmid: cloned, machineName: `lab-${n}a` });
      await send('desktop', { cmid: cloned, machineName: `lab-${n}b` });
    }
    const clones = (await service.contract['host:events']({})).filter((e) => e.kind === 'clone-suspected');
    expect(clones).toHaveLength(1);
    expect(clones[0]).toMatchObject({ severity: 'warning', occurrences: 2 });
    expect(clones[0]!.message).toMatch(/Generalise the image/);
  });

  it('keeps events across a restart of the service, and acknowledges them', async () => {
    const before = await service.contract['host:events']({});
    const again = createConsoleService(host);
    try {
      const after = await again.contract['host:events']({});
      expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
      const clone = after.find((e) => e.kind === 'clone-suspected')!;
      expect(await again.contract['events:acknowledge']({ ids: [clone.id] })).toEqual({ acknowledged: 1 });
      const acked = (await again.contract['host:events']({})).find((e) => e.id === clone.id);
      expect(acked?.acknowledgedAt).toEqual(expect.any(Number));
    } finally {
      again.close();
    }
  });
});
