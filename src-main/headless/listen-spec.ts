import { CliUsageError } from '../cli/cli-kit.js';

/** Parses "ADDR", "ADDR:PORT" or "[V6]:PORT" into a host and port, with `defaultPort` when none is given. */
export function parseListenSpec(spec: string, defaultPort: number, option: string): { host: string; port: number } {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(spec);
  const plainV6 = /^[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(spec) && spec.split(':').length > 2;
  const v4 = /^([^:[\]]+)(?::(\d+))?$/.exec(spec);
  const host = v6 ? v6[1] : plainV6 ? spec : v4?.[1];
  const portText = v6 ? v6[2] : plainV6 ? undefined : v4?.[2];
  if (!host) throw new CliUsageError(`${option} expects ADDR, ADDR:PORT or [IPv6]:PORT; got "${spec}".`);
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliUsageError(`${option}: port must be from 0 to 65535; got "${portText ?? ''}".`);
  }
  return { host, port };
}
