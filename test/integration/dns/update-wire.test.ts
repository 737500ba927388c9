/**
 * The UPDATE and TSIG code against a real BIND9: signed updates apply and BIND's signed answers
 * verify; each way an update fails is reported as what it is.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { sendUpdate } from '../../../src-main/dns/update-client.js';
import { parseTsigKeyFile } from '../../../src-main/dns/tsig-key-file.js';
import { publishPlan, srvNameOf, withdrawPlan, type PublishedRecords } from '../../../src-main/dns/publish-records.js';
import { parseHostAddress } from '../../../src-main/dns/host-address.js';
import type { TsigKey } from '../../../src-main/dns/tsig.js';

let bind: Bind9;
let key: TsigKey;

beforeAll(async () => {
  bind = await startBind9({
    updatePolicy: 'grant quorum-key zonesub ANY;',
    otherKeys: ['stranger-key'],
    records: ['_quorum._tcp 300 IN SRV 0 50 1688 other-host', 'other-host IN A 127.0.0.9', 'taken IN A 127.0.0.8'],
  });
  key = parseTsigKeyFile(readFileSync(bind.keyFile, 'utf8'), bind.keyFile);
});
afterAll(() => bind?.stop());

const records = (over: Partial<PublishedRecords> = {}): PublishedRecords => ({
  srvName: srvNameOf('office.test'),
  priority: 0,
  weight: 100,
  port: 1688,
  target: 'host1.office.test',
  ttl: 600,
  addresses: ['127.0.0.1'],
  ...over,
});

const server = () => parseHostAddress(bind.server, 53, '--server');

describe('UPDATE signed with TSIG against BIND9', () => {
  it('publishes, moves and withdraws exactly its own records', async () => {
    const first = records();
    await sendUpdate({ server: server(), zone: 'office.test', key, ...publishPlan(null, first) });
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([
      '0 100 1688 host1.office.test.',
      '0 50 1688 other-host.office.test.',
    ]);
    expect(await bind.dig('host1.office.test', 'A')).toEqual(['127.0.0.1']);

    const moved = records({ port: 1700, addresses: ['127.0.0.2'] });
    await sendUpdate({ server: server(), zone: 'office.test', key, ...publishPlan(first, moved) });
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([
      '0 100 1700 host1.office.test.',
      '0 50 1688 other-host.office.test.',
    ]);
    expect(await bind.dig('host1.office.test', 'A')).toEqual(['127.0.0.2']);

    await sendUpdate({ server: server(), zone: 'office.test', key, ...withdrawPlan(moved) });
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual(['0 50 1688 other-host.office.test.']);
    expect(await bind.dig('host1.office.test', 'A')).toEqual([]);
    expect(await bind.dig('other-host.office.test', 'A')).toEqual(['127.0.0.9']);
  });

  it('does not take over a name another machine holds', async () => {
    const plan = publishPlan(null, records({ target: 'taken.office.test', addresses: ['127.0.0.1'] }));
    await expect(sendUpdate({ server: server(), zone: 'office.test', key, ...plan })).rejects.toMatchObject({
      code: 'DNS_UPDATE_CONFLICT',
    });
    expect(await bind.dig('taken.office.test', 'A')).toEqual(['127.0.0.8']);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual(['0 50 1688 other-host.office.test.']);
  });

  it('reports an unsigned update as REFUSED', async () => {
    await expect(
      sendUpdate({ server: server(), zone: 'office.test', key: null, ...publishPlan(null, records()) }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_REFUSED', message: expect.stringContaining('REFUSED') });
  });

  it('reports a key the zone does not grant as REFUSED', async () => {
    const stranger = parseTsigKeyFile(readFileSync(bind.otherKeyFiles['stranger-key']!, 'utf8'), 'stranger');
    await expect(
      sendUpdate({ server: server(), zone: 'office.test', key: stranger, ...publishPlan(null, records()) }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_REFUSED' });
  });

  it('reports a wrong secret as BADSIG and an unknown key name as BADKEY', async () => {
    const wrong = { ...key, secret: Buffer.alloc(32, 7) };
    await expect(
      sendUpdate({ server: server(), zone: 'office.test', key: wrong, ...publishPlan(null, records()) }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_BADSIG', message: expect.stringContaining('NOTAUTH/BADSIG') });
    const unknown = { ...key, name: 'nobody-key' };
    await expect(
      sendUpdate({ server: server(), zone: 'office.test', key: unknown, ...publishPlan(null, records()) }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_BADKEY' });
  });

  it('reports a clock far off as BADTIME', async () => {
    await expect(
      sendUpdate({
        server: server(),
        zone: 'office.test',
        key,
        nowS: () => Math.floor(Date.now() / 1000) - 3600,
        ...publishPlan(null, records()),
      }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_BADTIME' });
  });

  it('reports a zone the server does not serve as NOTAUTH', async () => {
    const r = records({ srvName: srvNameOf('nowhere.test'), target: 'host1.nowhere.test', addresses: [] });
    await expect(
      sendUpdate({ server: server(), zone: 'nowhere.test', key, ...publishPlan(null, r) }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^DNS_UPDATE_(NOTAUTH|WRONG_ZONE)$/) });
  });

  it('reports records outside the zone as NOTZONE', async () => {
    const r = records({ srvName: srvNameOf('elsewhere.test'), addresses: [] });
    await expect(
      sendUpdate({ server: server(), zone: 'office.test', key, ...publishPlan(null, r) }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_WRONG_ZONE' });
  });

  it('reports a server that does not answer as a timeout', async () => {
    await expect(
      sendUpdate({
        server: { host: '127.0.0.1', port: 9 },
        zone: 'office.test',
        key,
        timeoutMs: 200,
        ...publishPlan(null, records()),
      }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_TIMEOUT' });
  });
});
