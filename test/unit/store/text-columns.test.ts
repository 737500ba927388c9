import { describe, expect, it } from 'vitest';
import { columnsFor, TEXT_COLUMNS } from '../../../src-main/store/client-text-search.js';
import { normalizeAddress, peerAddress } from '../../../src-main/rpc/peer-address.js';
import { bytesToUuid } from '../../../shared/protocol/bytes.js';

const substrings = (s: string) => {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) for (let j = i + 1; j <= s.length; j++) out.push(s.slice(i, j));
  return out;
};

describe('the columns a text filter can match', () => {
  it('leaves out the CMID and the address for a text neither a GUID nor an IP address can contain', () => {
    for (const text of ['pc-1', 'PC-1', 'lab', 'kiosk', ' ', '%', 'g', 'pc', 'x-9'])
      expect(columnsFor(text), text).toEqual(['machine_name']);
  });

  it('keeps the address, not the CMID, for a piece of an IP address with a dot or colon', () => {
    for (const text of ['10.1.', 'fd00::', '::1', '.', '192.168'])
      expect(columnsFor(text), text).toEqual(['machine_name', 'address']);
  });

  it('keeps the CMID for a text of hex digits and hyphens, the address too when it has no hyphen', () => {
    for (const text of ['-00012', 'ab-12', 'AB-12', '----', '-9'])
      expect(columnsFor(text), text).toEqual(['machine_name', 'cmid']);
    for (const text of ['f', '4d2c', 'ABC', '12']) expect(columnsFor(text), text).toEqual(TEXT_COLUMNS);
  });

  it('agrees with how CMIDs are stored: any piece of one keeps the CMID column', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const piece of substrings(bytesToUuid(bytes))) expect(columnsFor(piece)).toContain('cmid');
  });

  it('agrees with how addresses are stored: any piece of a normalized peer address keeps the address column', () => {
    const peers = ['10.20.30.40', '::ffff:192.168.1.7', 'fd00::abcd:1', 'FE80::1%eth0', '::1', undefined];
    for (const peer of peers) {
      const stored = peerAddress(peer);
      for (const piece of substrings(stored)) expect(columnsFor(piece), `${stored}: ${piece}`).toContain('address');
      for (const piece of substrings(stored.toUpperCase())) expect(columnsFor(piece)).toContain('address');
    }
  });
});

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
