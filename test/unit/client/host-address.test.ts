import { describe, expect, it } from 'vitest';
import { formatHostAddress, parseHostAddress } from '../../../src-main/dns/host-address.js';
import { QuorumError } from '../../../shared/domain/errors.js';

describe('host address parsing', () => {
  it.each([
    ['quorum1.office.test', { host: 'quorum1.office.test', port: 1688 }],
    ['quorum1.office.test:1700', { host: 'quorum1.office.test', port: 1700 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['[::1]:1688', { host: '::1', port: 1688 }],
    ['[::1]', { host: '::1', port: 1688 }],
    ['::1', { host: '::1', port: 1688 }],
    ['fe80::1', { host: 'fe80::1', port: 1688 }],
  ])('reads %s', (text, expected) => {
    expect(parseHostAddress(text, 1688, '--host')).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['host:0', 'outside'],
    ['host:70000', 'outside'],
    ['host:abc', 'not a number'],
    ['[nothex]:1', 'not an IPv6'],
    ['bad_name!:1', 'characters'],
    ['a::b:c:1688x', 'brackets'],
  ])('refuses "%s" with CLIENT_BAD_ADDRESS naming the option', (text, why) => {
    try {
      parseHostAddress(text, 1688, '--host');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(QuorumError);
      expect((e as QuorumError).code).toBe('CLIENT_BAD_ADDRESS');
      expect((e as QuorumError).message).toContain('--host');
      expect((e as QuorumError).message).toContain(why);
    }
  });

  it('formats IPv6 in brackets', () => {
    expect(formatHostAddress({ host: '::1', port: 1 })).toBe('[::1]:1');
    expect(formatHostAddress({ host: 'h', port: 2 })).toBe('h:2');
  });
});
