/**
 * An UPDATE on a lossy path to a real BIND9: a lost request is sent again, an update that was
 * applied but whose answer was lost is not taken for a conflict when its copy arrives, a real
 * conflict still is, and when UDP brings nothing the update goes over TCP.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { sendUpdate } from '../../../src-main/dns/update-client.js';
import { parseTsigKeyFile } from '../../../src-main/dns/tsig-key-file.js';
import { publishPlan, srvNameOf, withdrawPlan, type PublishedRecords } from '../../../src-main/dns/publish-records.js';
import { parseHostAddress } from '../../../src-main/dns/host-address.js';
import type { TsigKey } from '../../../src-main/dns/tsig.js';
import { startLossyProxy, type LossyProxy, type LossyProxyOptions } from './support/lossy-proxy.js';

let bind: Bind9;
let key: TsigKey;
let proxy: LossyProxy | undefined;

beforeAll(async () => {
  bind = await startBind9({ records: ['taken IN A 127.0.0.8'] });
  key = parseTsigKeyFile(readFileSync(bind.keyFile, 'utf8'), bind.keyFile);
});
afterAll(() => bind?.stop());
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const records = (target: string, over: Partial<PublishedRecords> = {}): PublishedRecords => ({
  srvName: srvNameOf('office.test'),
  priority: 0,
  weight: 100,
  port: 1688,
  target,
  ttl: 600,
  addresses: ['127.0.0.1'],
  ...over,
});

/** Long enough that BIND answers within one try even on a loaded machine; three tries at most. */
const TIMEOUT_MS = 1500;
/**
 * Each test's limit: at least twice what its steps may take at worst, so a slow step fails with its
 * own message. An update through the proxy: 3 tries, and 3 more to confirm (9 s); dig under
 * execFile's 10 s; the longest test sends two such updates, one direct, and reads four times.
 */
const TEST_LIMIT_MS = 2 * (3 * 2 * 3 * TIMEOUT_MS + 4 * 10_000);

async function through(options: LossyProxyOptions) {
  proxy = await startLossyProxy({ host: bind.address, port: bind.port }, options);
  return parseHostAddress(proxy.server, 53, '--server');
}

const direct = () => parseHostAddress(bind.server, 53, '--server');

describe('UPDATE over a lossy path', { timeout: TEST_LIMIT_MS }, () => {
  it('sends the update again when the first datagram is lost', async () => {
    const server = await through({ dropRequests: 1 });
    const r = records('lost-request.office.test');
    await sendUpdate({ server, zone: 'office.test', key, timeoutMs: TIMEOUT_MS, ...publishPlan(null, r) });
    expect(proxy!.seen).toMatchObject({ droppedRequests: 1, udpRequests: 2, tcpConnections: 0 });
    expect(await bind.dig('lost-request.office.test', 'A')).toEqual(['127.0.0.1']);
    await sendUpdate({ server: direct(), zone: 'office.test', key, ...withdrawPlan(r) });
  });

  it('an update applied whose answer was lost succeeds when its copy finds it applied', async () => {
    const server = await through({ dropAnswers: 1 });
    const r = records('lost-answer.office.test');
    // The copy's own prerequisite ("no A record yet") fails: BIND applied the first one.
    await sendUpdate({ server, zone: 'office.test', key, timeoutMs: TIMEOUT_MS, ...publishPlan(null, r) });
    expect(proxy!.seen.droppedAnswers).toBe(1);
    expect(await bind.dig('lost-answer.office.test', 'A')).toEqual(['127.0.0.1']);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual(['0 100 1688 lost-answer.office.test.']);

    // And a change after it (the port moves, the address changes) goes the same way.
    const moved = records('lost-answer.office.test', { port: 1700, addresses: ['127.0.0.2'] });
    const again = await through({ dropAnswers: 1 });
    await sendUpdate({ server: again, zone: 'office.test', key, timeoutMs: TIMEOUT_MS, ...publishPlan(r, moved) });
    expect(await bind.dig('lost-answer.office.test', 'A')).toEqual(['127.0.0.2']);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual(['0 100 1700 lost-answer.office.test.']);
    await sendUpdate({ server: direct(), zone: 'office.test', key, ...withdrawPlan(moved) });
  });

  it('still reports a real conflict when the update was sent twice', async () => {
    const server = await through({ dropRequests: 1 });
    const plan = publishPlan(null, records('taken.office.test'));
    await expect(
      sendUpdate({ server, zone: 'office.test', key, timeoutMs: TIMEOUT_MS, ...plan }),
    ).rejects.toMatchObject({ code: 'DNS_UPDATE_CONFLICT' });
    expect(proxy!.seen.udpRequests).toBeGreaterThanOrEqual(2);
    expect(await bind.dig('taken.office.test', 'A')).toEqual(['127.0.0.8']);
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual([]);
  });

  it('goes over TCP when UDP brings no answer', async () => {
    const server = await through({ blackholeUdp: true });
    const r = records('over-tcp.office.test');
    await sendUpdate({ server, zone: 'office.test', key, timeoutMs: TIMEOUT_MS, ...publishPlan(null, r) });
    expect(proxy!.seen).toMatchObject({ udpRequests: 2, tcpConnections: 1 });
    expect(await bind.dig('over-tcp.office.test', 'A')).toEqual(['127.0.0.1']);
    await sendUpdate({ server: direct(), zone: 'office.test', key, ...withdrawPlan(r) });
  });

  it('reports a timeout naming both ways when neither answers', async () => {
    const server = await through({ blackholeUdp: true, noTcp: true });
    await expect(
      sendUpdate({
        server,
        zone: 'office.test',
        key,
        timeoutMs: 200,
        ...publishPlan(null, records('none.office.test')),
      }),
    ).rejects.toMatchObject({
      code: 'DNS_UPDATE_TIMEOUT',
      message: expect.stringMatching(/no answer over UDP \(2 tries\), and over TCP: .*ECONNREFUSED/),
    });
  });
});
