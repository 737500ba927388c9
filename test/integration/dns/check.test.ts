/**
 * `quorum dns check` against a real BIND9 and real hosts: it finds the host that answers (with
 * its key and the settings it was published with), a host that stopped answering, a record whose
 * port is wrong and a `_vlmcs._tcp` record, and its probes count nothing on the hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsCheckReport } from '../../../src-main/dns/dns-check.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { deadPort } from '../client/support/rpc-test-host.js';
import { portOf, publishArgs, quorumCli, startDnsHost, succeeded } from './support/dns-fixtures.js';

let bind: Bind9;
let alive: HostRuntime;

beforeAll(async () => {
  bind = await startBind9();
  alive = await startDnsHost();
});
afterAll(async () => {
  await alive?.close();
  await bind?.stop();
});

const publish = (dataDir: string, target: string, extra: string[] = []) =>
  quorumCli(publishArgs(bind, dataDir, target, ['--address', '127.0.0.1', ...extra]));

describe('quorum dns check', () => {
  it('reports the live host, a host that stopped answering, a wrong port and _vlmcs records', async () => {
    succeeded(await publish(alive.dataDir, 'alpha.office.test', ['--priority', '3', '--weight', '40']));
    const gone = await startDnsHost();
    succeeded(await publish(gone.dataDir, 'gone.office.test'));
    const gonePort = portOf(gone);
    await gone.close();
    const wrongPort = await deadPort();
    await bind.update([
      `update add _quorum._tcp.office.test. 300 IN SRV 0 10 ${wrongPort} alpha.office.test.`,
      'update add _vlmcs._tcp.office.test. 300 IN SRV 0 0 1688 kms.office.test.',
    ]);

    const run = await quorumCli([
      'dns',
      'check',
      '--domain',
      'office.test',
      '--dns-server',
      bind.server,
      '--data-dir',
      alive.dataDir,
      '--json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as DnsCheckReport;
    const byKey = new Map(report.records.map((r) => [`${r.target}:${r.port}`, r]));
    expect(report.records).toHaveLength(3);

    const live = byKey.get(`alpha.office.test:${portOf(alive)}`)!;
    expect(live).toMatchObject({
      reachable: true,
      fingerprint: alive.identity.fingerprint,
      hostId: alive.identity.hostId,
      priority: 3,
      weight: 40,
      // The SRV RRset has one TTL, the last one written: the hand-added record's.
      ttl: 300,
      pinned: 'not pinned',
      thisHost: { priority: 3, weight: 40, port: portOf(alive) },
      problems: [],
    });

    const stale = byKey.get(`gone.office.test:${gonePort}`)!;
    expect(stale.reachable).toBe(false);
    expect(stale.problems.join(' ')).toContain('no host answers');

    const wrong = byKey.get(`alpha.office.test:${wrongPort}`)!;
    expect(wrong.reachable).toBe(false);
    expect(wrong.problems.join(' ')).toContain(
      `Port ${wrongPort} is wrong: the host alpha.office.test answers on port ${portOf(alive)}`,
    );

    expect(report.stale).toBe(2);
    expect(report.vlmcs).toEqual([{ target: 'kms.office.test', port: 1688 }]);
    expect(report.problems.join(' ')).toContain('Quorum never uses it');

    // The probes left no trace on the host that answered them.
    expect(alive.engine.status().counters.all.total).toBe(0);
    expect(alive.store.queryRequestLog({ offset: 0, limit: 10 }).total).toBe(0);

    const text = await quorumCli(['dns', 'check', '--domain', 'office.test', '--dns-server', bind.server]);
    expect(text.out).toContain(`alpha.office.test:${portOf(alive)}  priority 3  weight 40  TTL 300 s`);
    expect(text.out).toContain('reachable:    NO');
    expect(text.out).toContain('WARNING: _vlmcs._tcp record kms.office.test:1688');
  });

  it('says so when the domain has no records', async () => {
    const run = await quorumCli([
      'dns',
      'check',
      '--domain',
      'branch.office.test',
      '--dns-server',
      bind.server,
      '--json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as DnsCheckReport;
    expect(report.records).toEqual([]);
    expect(report.problems[0]).toContain('has no SRV records');
  });

  it('probes a host that requires a site token with the token given, and says so without it', async () => {
    const guarded = await startDnsHost(undefined, { siteToken: 'office-secret' });
    try {
      succeeded(await publish(guarded.dataDir, 'guarded.office.test', ['--priority', '9']));
      const args = ['dns', 'check', '--domain', 'office.test', '--dns-server', bind.server, '--json'];
      const record = async (extra: string[]) =>
        (JSON.parse((await quorumCli([...args, ...extra])).out) as DnsCheckReport).records.find(
          (r) => r.target === 'guarded.office.test',
        )!;
      const without = await record([]);
      expect(without.reachable).toBe(true);
      expect(without.problems.join(' ')).toContain('refuses this machine (AdmissionRefused)');
      const withToken = await record(['--site-token', 'office-secret']);
      expect(withToken).toMatchObject({ reachable: true, fingerprint: guarded.identity.fingerprint, problems: [] });
      expect(guarded.engine.status().counters.all.total).toBe(0);
    } finally {
      await guarded.close();
    }
  });
});
