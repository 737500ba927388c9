// What the console's "needs attention" list and the tray notifications are fed: real activations
// over TCP crossing a threshold, and one CMID arriving from two machine names (a cloned image).
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
  host = await startActivatedHost('server');
  service = createConsoleService(host);
  service.events.on('host:event', (e) => pushed.push(e));
});
afterAll(async () => {
  service.close();
  await host.close();
});

const send = (overrides: Parameters<typeof activationRequest>[1]) =>
  rpcCall(
    { host: '127.0.0.1', port: host.addresses()[0]!.port },
    0,
    encodeActivationRequest(activationRequest('server', overrides)),
  );

describe('host events for the console and the tray', () => {
  it('says when a threshold is reached, naming the products now activated', async () => {
    for (let i = 1; i <= 5; i++) await send({ machineName: `srv-${i}` });
    const up = pushed.find((e) => e.kind === 'threshold-up');
    expect(up?.level).toBe('info');
    expect(up?.message).toMatch(
      /Operating systems: the count reached 5 of 5; Quorum Server 3, Quorum Server 2 clients/,
    );
    expect((await service.contract['host:events']({}))[0]).toEqual(pushed.at(-1));
  });

  it('warns about a cloned image and says what to do', async () => {
    const cloned = activationRequest('server').cmid;
    await send({ cmid: cloned, machineName: 'lab-01' });
    await send({ cmid: cloned, machineName: 'lab-02' });
    const clone = pushed.find((e) => e.kind === 'clone-suspected');
    expect(clone?.level).toBe('warning');
    expect(clone?.message).toContain(cloned);
    expect(clone?.message).toMatch(/lab-01.*lab-02|lab-02.*lab-01/);
    expect(clone?.message).toMatch(/Generalise the image/);
  });
});
