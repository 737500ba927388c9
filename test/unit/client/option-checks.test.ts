/**
 * Options a person types are checked when the client is created, before anything is sent: a
 * fingerprint that could never match, Microsoft's SRV name, a domain DNS cannot hold. And a new
 * CMID is saved before any host sees it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuorumError } from '../../../shared/domain/errors.js';
import { VirtualClock } from '../../../shared/domain/index.js';
import { createClient, type ClientOptions } from '../../../src-main/client/client.js';
import { createTestHost, InProcessNetwork, type TestHost } from './support/test-host.js';

let dir: string;
let clock: VirtualClock;
let network: InProcessNetwork;
let host: TestHost;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quorum-option-checks-'));
  clock = new VirtualClock();
  network = new InProcessNetwork();
  host = createTestHost(clock, 1);
  network.add({ host: '127.0.0.1', port: 1700 }, host);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    stateFile: join(dir, 'state.json'),
    product: 'desktop',
    hosts: ['127.0.0.1:1700'],
    machineName: 'pc-01',
    isVm: false,
    scheduler: clock,
    transport: network,
    ...extra,
  };
}

function refusal(extra: Partial<ClientOptions>): { code: string; message: string } {
  try {
    createClient(options(extra));
  } catch (e) {
    if (e instanceof QuorumError) return { code: e.code, message: e.message };
    throw e;
  }
  return { code: 'accepted', message: '' };
}

const dns = (extra: Partial<ClientOptions>): Partial<ClientOptions> => ({
  hosts: [],
  domains: ['office.test'],
  dnsServer: '127.0.0.1:5353',
  ...extra,
});

describe('client option checks', () => {
  it('refuses a --pin that is not a SHA-256 fingerprint, and accepts one with separators and capitals', () => {
    expect(refusal({ pinnedFingerprints: ['00112233'] })).toMatchObject({
      code: 'CLIENT_BAD_PIN',
      message: expect.stringContaining('64 hex digits (SHA-256), got 8 digits') as string,
    });
    expect(refusal({ pinnedFingerprints: ['zz'.repeat(32)] }).code).toBe('CLIENT_BAD_PIN');
    const spaced = host.identity.fingerprint.toUpperCase().match(/.{2}/g)!.join(':');
    expect(refusal({ pinnedFingerprints: [spaced] }).code).toBe('accepted');
  });

  it("refuses Microsoft's _vlmcs._tcp, an empty service name and one not of the form _NAME._tcp", () => {
    expect(refusal(dns({ serviceName: '_vlmcs._tcp' }))).toMatchObject({
      code: 'CLIENT_BAD_DISCOVERY',
      message: expect.stringContaining("Microsoft KMS's SRV name") as string,
    });
    expect(refusal(dns({ serviceName: '_VLMCS._TCP.' })).code).toBe('CLIENT_BAD_DISCOVERY');
    expect(refusal(dns({ serviceName: '' })).code).toBe('CLIENT_BAD_DISCOVERY');
    expect(refusal(dns({ serviceName: 'quorum.tcp' })).code).toBe('CLIENT_BAD_DISCOVERY');
    expect(refusal(dns({ serviceName: '_quorum-lab._tcp' })).code).toBe('accepted');
  });

  it('refuses a domain DNS cannot hold, instead of asking the server and blaming it', () => {
    for (const domain of ['', 'bad domain!', ' office.test', 'a..b']) {
      expect(refusal(dns({ domains: ['office.test', domain] })), domain).toMatchObject({
        code: 'CLIENT_BAD_DISCOVERY',
        message: `--domain "${domain}" is not a domain name.`,
      });
    }
    expect(refusal(dns({ domains: ['office.test.', 'x-1.example'] })).code).toBe('accepted');
  });

  it('shows a machine name with a control character escaped, so the error stays one readable line', () => {
    expect(refusal({ machineName: 'pc\t1\n' })).toMatchObject({
      code: 'CLIENT_BAD_MACHINE_NAME',
      message: expect.stringContaining('The machine name "pc\\t1\\n" cannot be sent') as string,
    });
  });

  it('does not contact a host when the new CMID cannot be saved (each retry would count the machine again)', async () => {
    // /proc takes no new files, for root too; reading a missing entry there is plain ENOENT.
    const client = createClient(options({ stateFile: '/proc/quorum-client-test-state.json' }));
    for (let i = 0; i < 2; i++) {
      await expect(client.activateOnce()).rejects.toMatchObject({ code: 'CLIENT_STATE_UNWRITABLE' });
    }
    expect(network.contacted).toEqual([]);
    expect(host.requests).toHaveLength(0);
  });
});
