// CMIDs that expire (30 days unseen) leave the database too, so a restart does not bring them back.
import { describe, expect, it } from 'vitest';
import { DAY_MS, VirtualClock } from '../../../shared/domain/index.js';
import { encodeActivationRequest } from '../../../shared/protocol/index.js';
import { startHost } from '../../../src-main/host/host-runtime.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';

describe('CMID expiry', () => {
  it('is saved by the housekeeping sweep', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir, 'server');
    const clock = new VirtualClock(Date.now());
    const host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], clock, housekeepingMs: 20 });
    const port = host.addresses()[0]!.port;
    for (let i = 0; i < 3; i++) {
      const request = activationRequest('server', { clientTime: clock.now() });
      await rpcCall({ host: '127.0.0.1', port }, 0, encodeActivationRequest(request));
    }
    expect(host.store.loadEngineSnapshot().cmids).toHaveLength(3);

    clock.advance(31 * DAY_MS);
    for (let i = 0; i < 250 && host.store.loadEngineSnapshot().cmids.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(host.store.loadEngineSnapshot().cmids).toEqual([]);
    await host.close();

    const reopened = openStore({ file: databasePath(dataDir), readonly: true });
    expect(reopened.loadEngineSnapshot().cmids).toEqual([]);
    reopened.close();
  });
});
