/**
 * A host publishes itself in a real BIND9 through `quorum dns ...`: the records read back with dig
 * and with the client's own discovery, follow a port change, go with `dns off`, a withdrawal or
 * an uninstalled host key, and never take another host's records with them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../src-main/client/client.js';
import { uninstallKey } from '../../../src-main/authority/index.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import {
  activatedDir,
  portOf,
  publishArgs as publishTo,
  quorumCli,
  startDnsHost,
  succeeded,
} from './support/dns-fixtures.js';

let bind: Bind9;
const FOREIGN = '5 10 1999 foreign.office.test.';

beforeAll(async () => {
  bind = await startBind9({ records: ['_quorum._tcp 300 IN SRV 5 10 1999 foreign', 'foreign IN A 127.0.0.7'] });
});
afterAll(() => bind?.stop());

const publishArgs = (dataDir: string, extra: string[] = []) =>
  publishTo(bind, dataDir, 'host1.office.test', ['--address', '127.0.0.1', ...extra]);

describe('quorum dns publish against BIND9', () => {
  it('publishes, reads back with dig and the client, follows a port change, withdraws only its own records', async () => {
    const dataDir = activatedDir();
    let host = await startDnsHost(dataDir);
    const first = portOf(host);
    const published = await quorumCli(publishArgs(dataDir, ['--priority', '1', '--weight', '70', '--ttl', '120']));
    expect(published.err).toBe('');
    succeeded(published);
    expect(published.out).toContain(`_quorum._tcp.office.test SRV 1 70 ${first} host1.office.test`);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([`1 70 ${first} host1.office.test.`, FOREIGN]);
    expect(await bind.dig('host1.office.test', 'A')).toEqual(['127.0.0.1']);

    // The key is kept owner-only in the data directory.
    const keyCopy = join(dataDir, 'dns-keys', 'office.test.key');
    expect(statSync(keyCopy).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyCopy, 'utf8')).toContain(bind.keySecret);

    // The client's own discovery finds this host first (priority 1 before 5).
    const client = createClient({
      stateFile: join(dataDir, 'client-state.json'),
      product: 'desktop',
      domains: ['office.test'],
      dnsServer: bind.server,
      machineName: 'pc-dns',
      isVm: false,
    });
    const outcome = await client.activateOnce();
    expect(outcome.host).toBe(`host1.office.test:${first}`);

    // Restarted on another port: the start-up sync replaces exactly its own SRV record.
    await host.close();
    host = await startDnsHost(dataDir);
    const second = portOf(host);
    expect(second).not.toBe(first);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([`1 70 ${second} host1.office.test.`, FOREIGN]);

    const list = await quorumCli(['dns', 'list', '--json', '--data-dir', dataDir]);
    const zones = JSON.parse(list.out) as {
      publishing: boolean;
      zones: { entry: { zone: string }; state: { published: { port: number }; last: { ok: boolean } } }[];
    };
    expect(zones.publishing).toBe(true);
    expect(zones.zones[0]!.state.published.port).toBe(second);
    expect(list.out).not.toContain(bind.keySecret);

    const withdrawn = await quorumCli(['dns', 'withdraw', '--zone', 'office.test', '--data-dir', dataDir]);
    succeeded(withdrawn);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([FOREIGN]);
    expect(await bind.dig('host1.office.test', 'A')).toEqual([]);
    expect(await bind.dig('foreign.office.test', 'A')).toEqual(['127.0.0.7']);
    expect(JSON.parse((await quorumCli(['dns', 'list', '--json', '--data-dir', dataDir])).out).zones).toEqual([]);
    await host.close();
  });

  it('withdraws with dns off and when the host key is uninstalled, and publishes again with dns on', async () => {
    const dataDir = activatedDir();
    const host = await startDnsHost(dataDir);
    const port = portOf(host);
    succeeded(await quorumCli(publishArgs(dataDir, ['--target', 'host2.office.test'])));
    const ours = `0 100 ${port} host2.office.test.`;
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([ours, FOREIGN]);

    const off = await quorumCli(['dns', 'off', '--data-dir', dataDir]);
    succeeded(off);
    expect(off.out).toContain('Withdrew');
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([FOREIGN]);
    await host.dns.syncNow();
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([FOREIGN]);

    succeeded(await quorumCli(['dns', 'on', '--data-dir', dataDir]));
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([ours, FOREIGN]);

    expect(uninstallKey(dataDir, { now: () => Date.now() })).toBe(true);
    const results = await host.dns.syncNow();
    expect(results.map((r) => [r.action, r.ok])).toEqual([['withdraw', true]]);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([FOREIGN]);
    await host.close();
  });

  it('reports a wrong secret as NOTAUTH/BADSIG and a zone BIND does not serve as NOTAUTH, with the next step', async () => {
    const dataDir = activatedDir();
    const host = await startDnsHost(dataDir);
    const wrongKey = join(dataDir, 'wrong.key');
    writeFileSync(
      wrongKey,
      readFileSync(bind.keyFile, 'utf8').replace(bind.keySecret, createHash('sha256').update('x').digest('base64')),
    );
    const wrong = await quorumCli(publishArgs(dataDir).map((a) => (a === bind.keyFile ? wrongKey : a)));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('NOTAUTH/BADSIG');
    expect(wrong.err).toContain('(DNS_UPDATE_BADSIG)');
    const list = await quorumCli(['dns', 'list', '--data-dir', dataDir]);
    expect(list.out).toMatch(/office\.test .*publish FAILED \(DNS_UPDATE_BADSIG\)/);

    const nowhere = await quorumCli([
      'dns',
      'publish',
      '--zone',
      'nowhere.test',
      '--server',
      bind.server,
      '--tsig-key',
      bind.keyFile,
      '--data-dir',
      dataDir,
    ]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toMatch(/NOTAUTH|NXDOMAIN/);
    expect(nowhere.err).toContain('Check --zone');
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([FOREIGN]);
    await host.close();
  });

  it("keeps a published zone's settings when publishing with new ones fails, so it can still be withdrawn", async () => {
    const dataDir = activatedDir();
    const args = publishTo(bind, dataDir, 'host3.office.test', ['--address', '127.0.0.1', '--port', '1688']);
    succeeded(await quorumCli(args));
    const ours = '0 100 1688 host3.office.test.';
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([ours, FOREIGN]);

    // The same zone again, with a mistyped server: it fails, and says what it kept.
    const typo = await quorumCli([...args.map((a) => (a === bind.server ? '127.0.0.1:9' : a)), '--timeout', '300']);
    expect(typo.code).toBe(1);
    expect(typo.err).toContain('DNS_UPDATE_TIMEOUT');
    expect(typo.err).toContain(`office.test keeps its previous settings (server ${bind.server})`);
    const list = JSON.parse((await quorumCli(['dns', 'list', '--json', '--data-dir', dataDir])).out) as {
      zones: { entry: { server: string } }[];
    };
    expect(list.zones.map((z) => z.entry.server)).toEqual([bind.server]);

    succeeded(await quorumCli(['dns', 'withdraw', '--zone', 'office.test', '--data-dir', dataDir]));
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([FOREIGN]);
  });

  it('reports a server that does not answer as a timeout naming the firewall', async () => {
    const dataDir = activatedDir();
    const r = await quorumCli([
      ...publishArgs(dataDir).map((a) => (a === bind.server ? '127.0.0.1:9' : a)),
      '--port',
      '1688',
      '--timeout',
      '300',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('DNS_UPDATE_TIMEOUT');
    expect(r.err).toContain('firewall');
  });
});
