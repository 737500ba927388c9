/**
 * Which Host headers the console answers (DNS rebinding). A hostile page on a name its owner
 * controls can re-point that name at this machine's address; the browser then treats the console
 * as that page's own origin, and the Origin check of the WebSocket passes. The Host header still
 * carries the hostile name, so the console answers only names that cannot be rebound by a third
 * party: IP literals, localhost, this machine's name, and the names the admin configured.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';

export interface HostCheck {
  /** The request's host (without port), or null with the reason when the console must not answer it. */
  check(header: string | undefined): { ok: true; host: string } | { ok: false; reason: string };
}

/** Host header syntax: a name or IPv4 literal, or a bracketed IPv6 literal, and an optional port. */
const HOST_HEADER = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::\d{1,5})?$/;

/** What the header says, printable in a log line or a reply (control characters and quotes escaped, bounded). */
export function printable(text: string, max = 120): string {
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return shown;
}

export function createHostCheck(bindHost: string, names: readonly string[] = []): HostCheck {
  const allowed = new Set(
    ['localhost', hostname(), bindHost, ...names].map((n) => n.toLowerCase().replace(/\.$/, '')).filter(Boolean),
  );
  return {
    check(header) {
      // HTTP/1.0 tools (health probes) may send none; a browser always sends one.
      if (header === undefined || header === '') return { ok: true, host: bindHost };
      const m = HOST_HEADER.exec(header);
      if (!m) return { ok: false, reason: `The Host header ${printable(header)} is not a host name or address.` };
      const v6 = m[1];
      if (v6 !== undefined) {
        if (isIP(v6) === 6) return { ok: true, host: header };
        return { ok: false, reason: `The Host header ${printable(header)} is not a host name or address.` };
      }
      const name = m[2]!.toLowerCase().replace(/\.$/, '');
      if (isIP(name) === 4 || allowed.has(name) || name.endsWith('.localhost')) return { ok: true, host: header };
      return {
        ok: false,
        reason:
          `This console answers to its IP address, localhost and this machine's name, not to ${printable(header)}. ` +
          'To use another name for it, start the host with --console-name NAME.',
      };
    },
  };
}
