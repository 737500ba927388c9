/**
 * The options `quorum client activate` and `quorum client run` share, parsed once into
 * ClientOptions, and the text both print. Kept here so the two command files stay thin.
 */
import { join } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';
import { CliUsageError, failureLine, intOption, parseCommandArgs, type CliIo } from './cli-kit.js';
import { resolveDataDir } from '../store/data-dir.js';
import type { ClientOptions } from '../client/client.js';
import type { ClientEvent } from '../client/events.js';
import type { ClientStatus } from '../client/status.js';

export const CLIENT_STATE_FILE = 'client-state.json';

export const CLIENT_OPTIONS = {
  product: { type: 'string' },
  host: { type: 'string', multiple: true },
  domain: { type: 'string', multiple: true },
  'dns-server': { type: 'string' },
  service: { type: 'string' },
  state: { type: 'string' },
  'data-dir': { type: 'string' },
  'machine-name': { type: 'string' },
  vm: { type: 'boolean' },
  'no-vm': { type: 'boolean' },
  pin: { type: 'string', multiple: true },
  'no-host-caching': { type: 'boolean' },
  'site-token': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const CLIENT_OPTIONS_HELP = `Options:
  --product P              product to activate: desktop, server, office (or -2 generations, or an id)
  --host H[:PORT]          a host to use (repeatable; [IPV6]:PORT); turns DNS discovery off
  --domain D               a domain whose _quorum._tcp SRV records list the hosts (repeatable, in order)
  --dns-server ADDR[:PORT] the DNS server to ask (default: the system's resolvers)
  --service NAME           SRV service name (default _quorum._tcp)
  --state FILE             the client's state file (default: client-state.json in the data directory)
  --data-dir DIR           data directory for the default state file
  --machine-name NAME      name reported to the host (default: this machine's host name)
  --vm | --no-vm           override the detected VM flag
  --pin FINGERPRINT        accept only hosts with this key fingerprint (repeatable); default: trust on first use
  --no-host-caching        do not reuse the host that answered last time
  --site-token TOKEN       the site token the host requires (or set QUORUM_SITE_TOKEN)
  --timeout MS             per-host timeout (default 5000)
  --json                   print JSON`;

export function stateFileOf(values: { state?: string | undefined; 'data-dir'?: string | undefined }): string {
  return values.state ?? join(resolveDataDir(values['data-dir']), CLIENT_STATE_FILE);
}

export function parseClientOptions(args: string[]): { options: ClientOptions; json: boolean } {
  const { values } = parseCommandArgs(args, CLIENT_OPTIONS);
  if (!values.product) throw new CliUsageError('--product is required (desktop, server or office).');
  if (values.vm && values['no-vm']) throw new CliUsageError('Give --vm or --no-vm, not both.');
  if (values.host?.length && values.domain?.length) {
    throw new CliUsageError('Give --host (fixed hosts) or --domain (DNS discovery), not both.');
  }
  if (!values.host?.length && !values.domain?.length) {
    throw new CliUsageError('Say where the hosts are: --domain D (DNS SRV discovery) or --host H[:PORT].');
  }
  if (values['dns-server'] !== undefined && !values.domain?.length)
    throw new CliUsageError('--dns-server needs --domain.');
  const timeoutMs = intOption('timeout', values.timeout, 100, 120_000);
  const siteToken = values['site-token'] ?? process.env.QUORUM_SITE_TOKEN;
  const options: ClientOptions = {
    stateFile: stateFileOf(values),
    product: values.product,
    ...(values.host?.length ? { hosts: values.host } : {}),
    ...(values.domain?.length ? { domains: values.domain } : {}),
    ...(values['dns-server'] !== undefined ? { dnsServer: values['dns-server'] } : {}),
    ...(values.service !== undefined ? { serviceName: values.service } : {}),
    ...(values['machine-name'] !== undefined ? { machineName: values['machine-name'] } : {}),
    ...(values.vm ? { isVm: true } : values['no-vm'] ? { isVm: false } : {}),
    ...(values.pin?.length ? { pinnedFingerprints: values.pin } : {}),
    hostCaching: !values['no-host-caching'],
    ...(siteToken ? { siteToken } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
  return { options, json: values.json ?? false };
}

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));

export function describeStatus(status: ClientStatus): string {
  const lines = [
    `State file:   ${status.stateFile}`,
    `CMID:         ${status.cmid ?? 'none yet'}`,
    `Cached host:  ${status.cachedHost ?? 'none'}`,
    `Pinned keys:  ${status.pinnedHosts.length === 0 ? 'none' : ''}`,
    ...status.pinnedHosts.map((p) => `  ${p.host}  ${p.hostId ?? '?'}  ${p.fingerprint}`),
  ];
  if (status.licenses.length === 0) lines.push('', 'No product has been activated or tried yet (unlicensed).');
  for (const l of status.licenses) {
    lines.push(
      '',
      `${l.productName}: ${l.stateName}${l.periodEndsAt !== null ? `, ${l.remainingMinutes} minutes left (until ${when(l.periodEndsAt)})` : ''}`,
    );
    const a = l.lastAttempt;
    if (a) {
      const outcome = a.activated ? `activated by ${a.host ?? '?'}` : `not activated: ${a.code ?? '?'}`;
      const count = a.count !== undefined ? ` (count ${a.count} of ${a.threshold ?? '?'} needed)` : '';
      lines.push(`  last attempt  ${when(a.at)}  ${outcome}${count}`);
      if (a.hostId) {
        lines.push(`  answered by   ${a.hostId}${a.fingerprint ? `, key fingerprint ${a.fingerprint}` : ''}`);
      }
    }
    lines.push(
      `  next attempt  ${when(l.nextAttemptAt)}  (renew every ${l.renewalIntervalMin} min, retry every ` +
        `${l.activationIntervalMin} min, ${l.intervalsFromHost ? "the host's intervals" : 'defaults'})`,
    );
  }
  return lines.join('\n');
}

/** One log line per event for `quorum client run` (and `activate` with nothing else to say). */
export function describeEvent(e: ClientEvent): string | null {
  switch (e.type) {
    case 'dns-query':
      return `asking ${e.server} for ${e.name} SRV`;
    case 'dns-records':
      return `${e.name}: ${e.records.length === 0 ? 'no records' : e.records.map((r) => `${r.name}:${r.port} (priority ${r.priority}, weight ${r.weight})`).join(', ')}`;
    case 'host-try':
      return `trying ${e.host}${e.address !== e.host.replace(/:\d+$/, '') ? ` (${e.address})` : ''}${e.cached ? ' (cached)' : ''}`;
    case 'host-failed':
      return `${e.host} did not answer: ${e.message} [${e.code}]`;
    case 'cache-dropped':
      return `cached host ${e.host} dropped; discovering again`;
    case 'attempt-end':
      return `${e.activated ? `activated by ${e.host ?? '?'}` : `not activated: ${e.message ?? '?'} [${e.code ?? '?'}]`}; next attempt ${when(e.nextAttemptAt)}`;
    default:
      return null;
  }
}

/** Errors in what was typed (exit 2, like any usage error), as opposed to what happened (exit 1). */
const OPTION_ERRORS = new Set([
  'USAGE',
  'CLIENT_BAD_ADDRESS',
  'CLIENT_BAD_DISCOVERY',
  'CLIENT_BAD_MACHINE_NAME',
  'CLIENT_BAD_PIN',
  'CLIENT_UNKNOWN_PRODUCT',
]);

/**
 * Runs a client command so that every failure it throws is the same one line as a failed
 * attempt, code included (docs/client.md promises the code; people search for it), exit 2 for a
 * wrong option and 1 otherwise. Anything that is not a QuorumError goes to the CLI's own handler.
 */
export async function withClientErrors(args: string[], io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof QuorumError)) throw e;
    if (args.includes('--json')) io.out(JSON.stringify({ ok: false, error: e.toJSON() }, null, 2));
    else io.err(failureLine(e));
    return OPTION_ERRORS.has(e.code) ? 2 : 1;
  }
}
