// Host settings as a person changes them: checked before they are stored, and the intervals
// applied by a running host within its housekeeping period and sent to clients in the next reply.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSignedResponse, encodeActivationRequest } from '../../../shared/protocol/index.js';
import { readHostSettings, writeHostSetting } from '../../../src-main/host/host-settings.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { main } from '../../../src-main/cli/main.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';

let host: HostRuntime | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function cli(args: string[]) {
  const lines: string[] = [];
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
  return main(args, io).then((code) => ({ code, text: lines.join('\n') }));
}

describe('host settings', () => {
  it('shows a stored value that is not valid as such, with the value the host uses and how to replace it', async () => {
    const dataDir = tempDataDir();
    const store = openStore({ file: databasePath(dataDir) });
    store.setSetting('requestLog.maxRows', '10');
    store.setSetting('requestLog.maxAgeDays', 'abc');
    const read = readHostSettings(store);
    store.close();
    expect(read.find((x) => x.name === 'request-log-max-rows')).toMatchObject({ value: 1_000_000, ignored: '10' });
    expect(read.find((x) => x.name === 'request-log-max-age')).toMatchObject({ value: 90, ignored: 'abc' });
    expect(read.find((x) => x.name === 'activation-interval')?.ignored).toBeUndefined();
    const r = await cli(['settings', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(
      /request-log-max-rows +1000000 rows +\(default: the stored value "10" is not valid and is not used; quorum settings set request-log-max-rows VALUE replaces it\)/,
    );
    expect(r.text).not.toContain('NaN');
  });

  it('refuses values out of range or not numbers, and unknown names, keeping what was stored', () => {
    const store = openStore({ file: databasePath(tempDataDir()) });
    expect(() => writeHostSetting(store, 'activation-interval', '14')).toThrow(/from 15 \(15 minutes\) to 43200/);
    expect(() => writeHostSetting(store, 'renewal-interval', '43201')).toThrow(/SETTING_INVALID|from 15/);
    expect(() => writeHostSetting(store, 'activation-interval', '1.5')).toThrow(/not a whole number/);
    expect(() => writeHostSetting(store, 'colour', '3')).toThrow(/no setting "colour"/);
    expect(writeHostSetting(store, 'activation-interval', '60')).toBe(60);
    expect(() => writeHostSetting(store, 'activation-interval', '9')).toThrow();
    expect(readHostSettings(store).find((s) => s.name === 'activation-interval')).toMatchObject({
      value: 60,
      isDefault: false,
    });
    expect(writeHostSetting(store, 'activation-interval', 'default')).toBe(120);
    store.close();
  });

  it('applies new intervals in a running host and sends them to clients', async () => {
    const dataDir = tempDataDir();
    activateDataDir(dataDir, 'server');
    host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], housekeepingMs: 20 });
    expect((await cli(['settings', 'set', 'activation-interval', '45', '--data-dir', dataDir])).code).toBe(0);
    expect((await cli(['settings', 'set', 'renewal-interval', '1440', '--data-dir', dataDir])).code).toBe(0);
    for (let i = 0; i < 250 && host.engine.intervals.renewalIntervalMin !== 1440; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const reply = await rpcCall(
      { host: '127.0.0.1', port: host.addresses()[0]!.port },
      0,
      encodeActivationRequest(activationRequest('server')),
    );
    expect(decodeSignedResponse(reply).response).toMatchObject({ activationIntervalMin: 45, renewalIntervalMin: 1440 });
  });

  it('changes the limits per client address, says when each applies, and lists them', async () => {
    const dataDir = tempDataDir();
    const set = (name: string, value: string) => cli(['settings', 'set', name, value, '--data-dir', dataDir]);
    expect(await set('connections-per-address', '10')).toEqual({
      code: 0,
      text: 'connections-per-address is now 10 connections (applied when the host next starts).',
    });
    expect(await set('calls-per-address-per-second', '200')).toMatchObject({ code: 0 });
    expect(await set('new-clients-per-address-per-hour', '5000')).toEqual({
      code: 0,
      text: 'new-clients-per-address-per-hour is now 5000 clients.',
    });
    const list = (await cli(['settings', '--data-dir', dataDir])).text;
    expect(list).toMatch(/^new-clients-per-address-per-hour\s+5000 clients$/m);
    expect(list).toMatch(/^connections-per-address\s+10 connections$/m);
    expect(list).toMatch(/^calls-per-address-per-second\s+200 calls$/m);
    expect(list).toMatch(/^port\s+1688\s+\(default\)$/m);
    // What a change made here does to a running host, which re-reads only some settings.
    const json = JSON.parse((await cli(['settings', '--json', '--data-dir', dataDir])).text) as {
      name: string;
      applies: string;
    }[];
    expect(Object.fromEntries(json.map((x) => [x.name, x.applies]))).toMatchObject({
      'activation-interval': 'at-once',
      'new-clients-per-address-per-hour': 'at-once',
      'connections-per-address': 'next-start',
      'allowed-ranges': 'at-once',
      'site-token': 'at-once',
      port: 'next-start',
    });
    expect(await set('connections-per-address', 'default')).toMatchObject({ code: 0 });
    expect((await cli(['settings', '--data-dir', dataDir])).text).toMatch(
      /^connections-per-address\s+128 connections\s+\(default\)$/m,
    );
  });

  it('lists the settings and says in one line what is wrong with a bad value', async () => {
    const dataDir = tempDataDir();
    expect((await cli(['settings', 'set', 'request-log-max-age', '30', '--data-dir', dataDir])).text).toContain(
      'applied when the host next starts',
    );
    const bad = await cli(['settings', 'set', 'activation-interval', '5', '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.text).toMatch(/^quorum: activation-interval: The activation interval must be/);
    const list = await cli(['settings', '--data-dir', dataDir]);
    expect(list.text).toMatch(/activation-interval\s+120 minutes\s+\(default\)/);
    expect(list.text).toMatch(/request-log-max-age\s+30 days$/m);
  });
});
