import { describe, expect, it } from 'vitest';
import { parseListenSpec } from '../../../src-main/headless/listen-spec.js';

describe('listen addresses as typed', () => {
  it('reads an address, an address and port, and a bracketed IPv6 address', () => {
    expect(parseListenSpec('0.0.0.0', 1688, '--listen')).toEqual({ host: '0.0.0.0', port: 1688 });
    expect(parseListenSpec('127.0.0.1:9000', 1688, '--listen')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListenSpec('[::1]:9000', 1688, '--listen')).toEqual({ host: '::1', port: 9000 });
    expect(parseListenSpec('fd00::5', 1688, '--listen')).toEqual({ host: 'fd00::5', port: 1688 });
  });

  it('takes a port alone as that port on the default host, where there is one', () => {
    expect(parseListenSpec('28691', 8690, '--console', '127.0.0.1')).toEqual({ host: '127.0.0.1', port: 28691 });
    expect(parseListenSpec(':28691', 8690, '--console', '127.0.0.1')).toEqual({ host: '127.0.0.1', port: 28691 });
    expect(parseListenSpec('28691', 8690, '--console', '::1')).toEqual({ host: '::1', port: 28691 });
  });

  it('refuses a port alone where there is no default host, and a port out of range', () => {
    // Given to the system, "28691" would be the IPv4 address 0.0.112.19.
    expect(() => parseListenSpec('28691', 1688, '--listen')).toThrow(/--listen expects .*"28691" is only a port/);
    expect(() => parseListenSpec('99999', 8690, '--console', '127.0.0.1')).toThrow(
      /--console: port must be from 0 to 65535; got "99999"/,
    );
  });
});
