import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkDns, type DnsCheckReport } from '../../dns/dns-check.js';
import { localHostOf } from '../../host/local-host.js';
import { CLIENT_STATE_FILE } from '../client-options.js';
import { readClientState } from '../../client/state-file.js';
import { databasePath, openStore } from '../../store/open-store.js';
import { CliUsageError, intOption, parseCommandArgs, printJson, type CliIo, type Command } from '../cli-kit.js';
import { resolveDataDir } from '../data-dir.js';
import { DNS_DATA_DIR_HELP } from './dns-common.js';

const HELP = `Usage: quorum dns check --domain D [--dns-server ADDR[:PORT]] [--site-token TOKEN] [--timeout MS]
                        [--data-dir DIR] [--json]

Looks at DNS as a client does: reads the _quorum._tcp SRV records of the domain, resolves every
target, and probes every address with a signed handshake that counts nothing on the host. For
each record it reports whether a host answers, its key fingerprint and host id, whether this
machine's client pinned that key, the TTL, and, for this host's own record, the priority and
weight published against those set. Records of hosts that do not answer (stale, or a wrong
port) and any _vlmcs._tcp records (Microsoft KMS's; Quorum never uses them) are reported.
Exit code 1 when a record is stale or missing.

Options:
  --domain D             the domain clients search (their --domain)
  --dns-server ADDR      ask this DNS server, IPV4[:PORT] or [IPV6][:PORT] (default: the system's)
  --site-token TOKEN     the site token the hosts require, if any (or set QUORUM_SITE_TOKEN); without
                         it such a host answers the probe with AdmissionRefused
  --timeout MS           per-host probe timeout (default 3000)
${DNS_DATA_DIR_HELP}
                         (for this host's fingerprint and settings, and its client's pins)
  --json                 print as JSON

Example:
  quorum dns check --domain office.example`;

function print(io: CliIo, report: DnsCheckReport): void {
  io.out(`${report.queryName} at ${report.server}: ${report.records.length} record(s)`);
  for (const r of report.records) {
    io.out('');
    io.out(`${r.target}:${r.port}  priority ${r.priority}  weight ${r.weight}  TTL ${r.ttl ?? '?'} s`);
    io.out(
      `  reachable:    ${r.reachable ? 'yes' : 'NO'}${r.addresses.length ? ` (${r.addresses.map((a) => a.address).join(', ')})` : ''}`,
    );
    if (r.fingerprint) io.out(`  key:          ${r.fingerprint} (${r.hostId})`);
    if (r.reachable) io.out(`  pinned:       ${r.pinned}`);
    if (r.thisHost)
      io.out(
        `  this host:    set priority ${r.thisHost.priority}, weight ${r.thisHost.weight}, port ${r.thisHost.port}`,
      );
    for (const p of r.problems) io.out(`  problem:      ${p}`);
  }
  for (const v of report.vlmcs)
    io.out(`\nWARNING: _vlmcs._tcp record ${v.target}:${v.port} (KMS's name; Quorum never uses it)`);
  if (report.problems.length) {
    io.out('');
    for (const p of report.problems) io.out(`- ${p}`);
  } else io.out('\nEvery record names a host that answers.');
}

export const dnsCheck: Command = {
  path: ['dns', 'check'],
  summary: "check the SRV records from a client's view (probes every host, counts nothing)",
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      domain: { type: 'string' },
      'dns-server': { type: 'string' },
      timeout: { type: 'string' },
      'site-token': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.domain)
      throw new CliUsageError('--domain is required: the domain clients search, e.g. --domain office.example.');
    const dataDir = resolveDataDir(values['data-dir']);
    const db = databasePath(dataDir);
    const store = existsSync(db) ? openStore({ file: db, readonly: true }) : null;
    const state = await readClientState(join(dataDir, CLIENT_STATE_FILE)).catch(() => null);
    try {
      const report = await checkDns({
        domain: values.domain,
        dnsServer: values['dns-server'],
        timeoutMs: intOption('timeout', values.timeout, 100, 60_000),
        pins: state?.pins ?? {},
        local: localHostOf(dataDir, store, values.domain),
        siteToken: values['site-token'] ?? process.env.QUORUM_SITE_TOKEN ?? null,
      });
      if (values.json) printJson(io, report);
      else print(io, report);
      return report.records.length === 0 || report.stale > 0 ? 1 : 0;
    } finally {
      store?.close();
    }
  },
};
