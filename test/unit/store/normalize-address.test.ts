import { describe, expect, it } from 'vitest';
import { normalizeAddress, peerAddress } from '../../../src-main/rpc/peer-address.js';

describe('normalizeAddress', () => {
  it('gives IPv4-mapped IPv6 as plain IPv4 and drops an IPv6 zone, leaving other addresses as they are', () => {
    expect(normalizeAddress('::ffff:10.0.0.5')).toBe('10.0.0.5');
    expect(normalizeAddress('::FFFF:10.0.0.5')).toBe('10.0.0.5');
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeAddress('fe80::1%25')).toBe('fe80::1');
    expect(normalizeAddress('2001:db8::7')).toBe('2001:db8::7');
    expect(normalizeAddress('192.0.2.1')).toBe('192.0.2.1');
    expect(peerAddress(undefined)).toBe('unknown');
  });
});
