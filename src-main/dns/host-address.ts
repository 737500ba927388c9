/**
 * Parsing of the "H[:PORT]" and "[v6]:PORT" forms that people type for hosts and DNS servers.
 * A bare IPv6 address (several colons, no brackets) is taken whole, without a port.
 */
import { isIP } from 'node:net';
import { QuorumError } from '../../shared/domain/errors.js';

export interface HostAddress {
  host: string;
  port: number;
}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\.?$/;

/** A host or domain name DNS can hold: letters, digits and hyphens in labels of 1-63, 253 in all. */
export function isDnsName(text: string): boolean {
  return text.replace(/\.$/, '').length <= 253 && NAME.test(text);
}

/** "host:port" for messages and state keys; IPv6 in brackets. */
export function formatHostAddress(a: HostAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/**
 * Parses `text` as H, H:PORT, [V6] or [V6]:PORT. `what` names the option in errors
 * (e.g. "--host"), so a person sees which argument was wrong.
 */
export function parseHostAddress(text: string, defaultPort: number, what: string): HostAddress {
  const bad = (why: string): QuorumError =>
    new QuorumError(
      'CLIENT_BAD_ADDRESS',
      `${what} "${text}" is not a valid address: ${why}.`,
      'Use NAME, NAME:PORT, IPV4:PORT or [IPV6]:PORT, e.g. quorum1.office.test:1688 or [::1]:1688.',
    );
  const trimmed = text.trim();
  if (trimmed === '') throw bad('it is empty');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (isIP(host) !== 6) throw bad('the part in brackets is not an IPv6 address');
  } else if (isIP(trimmed) === 6) {
    host = trimmed;
  } else {
    const colon = trimmed.lastIndexOf(':');
    host = colon === -1 ? trimmed : trimmed.slice(0, colon);
    portText = colon === -1 ? undefined : trimmed.slice(colon + 1);
    if (host.includes(':')) throw bad('put an IPv6 address in brackets when you give a port');
    if (isIP(host) === 0 && !isDnsName(host)) throw bad('the host name has characters a DNS name cannot have');
  }
  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) throw bad(`the port "${portText}" is not a number`);
    port = Number(portText);
    if (port < 1 || port > 65535) throw bad(`the port ${port} is outside 1-65535`);
  }
  return { host, port };
}
