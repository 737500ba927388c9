import { describe, expect, it } from 'vitest';
import { describeEvent, describeStatus, parseClientOptions } from '../../../src-main/cli/client-options.js';
import { describeState } from '../../../src-main/client/status.js';
import { newClientState } from '../../../src-main/client/state-file.js';
import { afterAttempt, newLicenseRecord } from '../../../src-main/client/license-machine.js';

const usage = (args: string[]): string => {
  try {
    parseClientOptions(args);
    return 'accepted';
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as Error).message}`;
  }
};

describe('quorum client options', () => {
  it('maps the flags onto the library options', () => {
    const { options, json } = parseClientOptions([
      '--product',
      'office',
      '--domain',
      'a.test',
      '--domain',
      'b.test',
      '--dns-server',
      '127.0.0.1:5353',
      '--service',
      '_q._tcp',
      '--state',
      '/tmp/x.json',
      '--machine-name',
      'pc',
      '--no-vm',
      '--pin',
      'ab',
      '--no-host-caching',
      '--timeout',
      '900',
      '--json',
    ]);
    expect(json).toBe(true);
    expect(options).toMatchObject({
      product: 'office',
      domains: ['a.test', 'b.test'],
      dnsServer: '127.0.0.1:5353',
      serviceName: '_q._tcp',
      stateFile: '/tmp/x.json',
      machineName: 'pc',
      isVm: false,
      pinnedFingerprints: ['ab'],
      hostCaching: false,
      timeoutMs: 900,
    });
    expect(options.hosts).toBeUndefined();
  });

  it('puts the default state file in the data directory', () => {
    const { options } = parseClientOptions(['--product', 'desktop', '--host', 'h', '--data-dir', '/srv/q']);
    expect(options.stateFile).toBe('/srv/q/client-state.json');
    expect(options.isVm).toBeUndefined();
    expect(options.hostCaching).toBe(true);
  });

  it.each([
    [['--host', 'h'], '--product is required'],
    [['--product', 'desktop'], 'Say where the hosts are'],
    [['--product', 'desktop', '--host', 'h', '--domain', 'd'], 'not both'],
    [['--product', 'desktop', '--host', 'h', '--dns-server', '1.2.3.4'], '--dns-server needs --domain'],
    [['--product', 'desktop', '--host', 'h', '--vm', '--no-vm'], '--vm or --no-vm'],
    [['--product', 'desktop', '--host', 'h', '--timeout', '5'], '--timeout must be from 100'],
    [['--product', 'desktop', '--host', 'h', '--bogus'], 'bogus'],
  ])('refuses %j with a usage error', (args, text) => {
    const r = usage(args);
    expect(r.startsWith('USAGE: ')).toBe(true);
    expect(r).toContain(text);
  });

  it('describes status and events in words', () => {
    const T = Date.UTC(2026, 0, 1);
    const state = newClientState(T);
    state.cachedHost = { host: 'q1.office.test', port: 1688, via: 'static' };
    state.licenses['19d5baee-485b-4b3e-8c5e-77e6efaf40f8'] = afterAttempt(
      newLicenseRecord('19d5baee-485b-4b3e-8c5e-77e6efaf40f8', T),
      T,
      { at: T, activated: false, code: 'CLIENT_COUNT_INSUFFICIENT', count: 3, threshold: 25, host: 'q1:1688' },
      { granted: false, activationIntervalMin: 120, renewalIntervalMin: 10_080, validityMin: 259_200 },
    );
    const text = describeStatus(describeState('/s.json', state, T));
    expect(text).toContain('Cached host:  q1.office.test:1688');
    expect(text).toContain('desktop: initial grace, 43200 minutes left (until 2026-01-31T00:00:00Z)');
    expect(text).toContain('not activated: CLIENT_COUNT_INSUFFICIENT (count 3 of 25 needed)');
    expect(text).toContain(
      "next attempt  2026-01-01T02:00:00Z  (renew every 10080 min, retry every 120 min, the host's",
    );
    expect(describeEvent({ type: 'cache-dropped', host: 'q1:1688' })).toBe(
      'cached host q1:1688 dropped; discovering again',
    );
    expect(describeEvent({ type: 'attempt-start', at: T, productId: 'p' })).toBeNull();
  });
});
