import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type HostRuntime } from '../../src-main/host/host-runtime.js';
import { writeHostSetting } from '../../src-main/host/host-settings.js';
import { databasePath, openStore } from '../../src-main/store/open-store.js';
import { tempDataDir } from '../support/activated-host.js';
import { ATTACKER, flood, until } from './attack-fixtures.js';

let host: HostRuntime | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await host?.close();
  host = undefined;
});

describe('the listener limits a person sets', () => {
  it('connections-per-address, stored with quorum settings, holds one address to that many connections', async () => {
    const dataDir = tempDataDir();
    const store = openStore({ file: databasePath(dataDir) });
    writeHostSetting(store, 'connections-per-address', '3');
    store.close();
    host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
    await flood(host.addresses()[0]!.port, ATTACKER, 8, () => new Uint8Array([5]), sockets);
    expect(await until(() => host!.rpcStats().refusedAtCap + host!.rpcStats().evicted === 5, 3_000)).toBe(true);
    expect(host.rpcStats().open).toBe(3);
  });
});
