/**
 * The update-policy docs/operations.md gives for BIND ("DNS", "Publishing to BIND") is enough for
 * a host to publish its SRV and address records, and the SRV-only line refuses address records;
 * the zone-file lines `quorum dns records --format bind` prints load into BIND as they are.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBind9, type Bind9 } from '../../support/bind9.js';
import { activatedDir, publishArgs, quorumCli, succeeded } from './support/dns-fixtures.js';

let bind: Bind9 | undefined;
afterEach(() => bind?.stop());

const publish = (b: Bind9, extra: string[]) =>
  quorumCli(publishArgs(b, activatedDir(), 'quorum1.office.test', ['--port', '1688', ...extra]));

describe('the documented update-policy', () => {
  it('lets the key publish the SRV record and the target address', async () => {
    bind = await startBind9({
      updatePolicy:
        'grant quorum-key name _quorum._tcp.office.test. SRV; grant quorum-key subdomain office.test. A AAAA;',
    });
    const r = await publish(bind, ['--address', '192.0.2.10']);
    expect(r.err).toBe('');
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual(['0 100 1688 quorum1.office.test.']);
    expect(await bind.dig('quorum1.office.test', 'A')).toEqual(['192.0.2.10']);
  });

  it('with the SRV line alone, publishes the SRV record and refuses address records as REFUSED', async () => {
    bind = await startBind9({ updatePolicy: 'grant quorum-key name _quorum._tcp.office.test. SRV;' });
    succeeded(await publish(bind, []));
    expect(await bind.dig('_quorum._tcp.office.test', 'SRV')).toEqual(['0 100 1688 quorum1.office.test.']);
    const refused = await publish(bind, ['--address', '192.0.2.10']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('(DNS_UPDATE_REFUSED)');
    expect(refused.err).toContain('update-policy');
  });
});

describe('the BIND lines of quorum dns records', () => {
  it('load into a zone file and serve the records a client reads', async () => {
    const records = await quorumCli([
      'dns',
      'records',
      '--zone',
      'office.test',
      '--format',
      'bind',
      '--port',
      '1700',
      '--data-dir',
      activatedDir(),
    ]);
    succeeded(records);
    const lines = records.out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';'));
    bind = await startBind9({ records: lines });
    const srv = await bind.dig('_quorum._tcp.office.test', 'SRV');
    expect(srv).toHaveLength(1);
    expect(srv[0]).toMatch(/^0 100 1700 [a-z0-9-]+\.office\.test\.$/);
  });
});
