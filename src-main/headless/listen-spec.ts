import { QuorumError } from '../../shared/domain/errors.js';

/** A usage mistake, as the CLI reports its own (code USAGE, exit 2). */
function usage(message: string): QuorumError {
  return new QuorumError('USAGE', message, 'Run the command with --help for its options.');
}

/**
 * Parses "ADDR", "ADDR:PORT" or "[V6]:PORT" into a host and port, with `defaultPort` when none is
 * given. With `defaultHost`, a port alone ("8691" or ":8691") is that port on that host; without
 * one, it is refused (an address of digits only would be read as an IPv4 number).
 */
export function parseListenSpec(
  spec: string,
  defaultPort: number,
  option: string,
  defaultHost?: string,
): { host: string; port: number } {
  const portOnly = /^:?(\d+)$/.exec(spec.trim());
  if (portOnly) {
    if (defaultHost === undefined) {
      throw usage(`${option} expects ADDR, ADDR:PORT or [IPv6]:PORT; "${spec}" is only a port: add the address.`);
    }
    spec = `${defaultHost.includes(':') ? `[${defaultHost}]` : defaultHost}:${portOnly[1]}`;
  }
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(spec);
  const plainV6 = /^[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(spec) && spec.split(':').length > 2;
  const v4 = /^([^:[\]]+)(?::(\d+))?$/.exec(spec);
  const host = v6 ? v6[1] : plainV6 ? spec : v4?.[1];
  const portText = v6 ? v6[2] : plainV6 ? undefined : v4?.[2];
  if (!host) throw usage(`${option} expects ADDR, ADDR:PORT or [IPv6]:PORT; got "${spec}".`);
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usage(`${option}: port must be from 0 to 65535; got "${portText ?? ''}".`);
  }
  return { host, port };
}
