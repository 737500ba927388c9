/**
 * `quorum dns check`: DNS as a client sees it. Reads `_quorum._tcp.<domain>` with the client's
 * own lookup, resolves every target, probes every address (a signed handshake that counts
 * nothing), and says per record whether a host answers there, which key it has, whether this
 * machine's client pinned that key, and, for this host's own record, whether priority, weight
 * and port are what the publish list says. Also reports `_vlmcs._tcp` records (never used).
 */
import { QuorumError } from '../../shared/domain/errors.js';
import type { DnsCheckAddressView, DnsCheckRecordView, DnsCheckView } from '../../shared/ipc/dns-channels.js';
import { normaliseFingerprint } from '../client/verify-response.js';
import { formatHostAddress } from './host-address.js';
import { probeHost, STATUS_NAMES, type ProbeOutcome } from './host-probe.js';
import { createSrvLookup, DEFAULT_SERVICE_NAME, queryNameOf } from './srv-lookup.js';
import { srvTtls } from './srv-ttl.js';

export type CheckedAddress = DnsCheckAddressView;
export type CheckedRecord = DnsCheckRecordView;
export type DnsCheckReport = DnsCheckView;

export interface LocalHost {
  fingerprint: string;
  /** From the publish list, when the domain is one of its zones. */
  priority: number | null;
  weight: number | null;
  port: number | null;
}

export interface DnsCheckOptions {
  domain: string;
  dnsServer?: string;
  timeoutMs?: number;
  /** Pins from this machine's client state file, by "host:port". */
  pins?: Record<string, string>;
  /** This host, when the check runs on one. */
  local?: LocalHost | null;
  siteToken?: string | null;
}

function firstAnswer(addresses: CheckedAddress[]): Extract<ProbeOutcome, { kind: 'answers' }> | null {
  for (const a of addresses) if (a.outcome.kind === 'answers') return a.outcome;
  return null;
}

export async function checkDns(options: DnsCheckOptions): Promise<DnsCheckReport> {
  const domain = options.domain.trim().replace(/\.$/, '').toLowerCase();
  const lookup = createSrvLookup({ dnsServer: options.dnsServer, timeoutMs: options.timeoutMs ?? 3000 });
  const queryName = queryNameOf(DEFAULT_SERVICE_NAME, domain);
  const [srv, ttls, vlmcs] = await Promise.all([
    lookup.srv(queryName),
    srvTtls(queryName, options.dnsServer),
    lookup.srv(queryNameOf('_vlmcs._tcp', domain)).catch(() => []),
  ]);
  const records: CheckedRecord[] = [];
  for (const r of srv) {
    const target = r.name.replace(/\.$/, '').toLowerCase();
    let addressList: string[] = [];
    const problems: string[] = [];
    try {
      addressList = await lookup.addresses(target);
    } catch (e) {
      problems.push(e instanceof QuorumError ? e.message : String(e));
    }
    if (addressList.length === 0 && problems.length === 0) {
      problems.push(`${target} has no A or AAAA record, so no client can reach it.`);
    }
    const addresses: CheckedAddress[] = [];
    for (const address of addressList) {
      const outcome = await probeHost({ host: address, port: r.port }, options);
      addresses.push({ address, outcome });
    }
    const answer = firstAnswer(addresses);
    const label = formatHostAddress({ host: target, port: r.port });
    const pin = options.pins?.[label];
    const ttl = ttls.find((t) => t.target.toLowerCase() === target && t.port === r.port)?.ttl ?? null;
    const local = options.local;
    const isLocal =
      answer !== null &&
      local != null &&
      normaliseFingerprint(answer.fingerprint) === normaliseFingerprint(local.fingerprint);
    const record: CheckedRecord = {
      target,
      port: r.port,
      priority: r.priority,
      weight: r.weight,
      ttl,
      addresses,
      reachable: answer !== null,
      fingerprint: answer?.fingerprint ?? null,
      hostId: answer?.hostId ?? null,
      pinned:
        pin === undefined || answer === null
          ? 'not pinned'
          : normaliseFingerprint(pin) === normaliseFingerprint(answer.fingerprint)
            ? 'matches'
            : 'differs',
      thisHost:
        isLocal && local.priority !== null && local.weight !== null
          ? { priority: local.priority, weight: local.weight, port: local.port ?? r.port }
          : null,
      problems,
    };
    for (const a of addresses) {
      const at = `${formatHostAddress({ host: a.address, port: r.port })}`;
      if (a.outcome.kind === 'no-answer')
        problems.push(`${at}: no host answers (${a.outcome.message.replace(/\.$/, '')}).`);
      if (a.outcome.kind === 'not-probe-capable')
        problems.push(`${at} answers, but not as a Quorum host that knows probes (${a.outcome.message}).`);
      if (a.outcome.kind === 'bad-answer')
        problems.push(`${at}: the answer does not verify (${a.outcome.code}): do not trust this record.`);
      if (a.outcome.kind === 'answers' && a.outcome.status !== 0) {
        problems.push(
          `${at} answers but refuses this machine (${STATUS_NAMES[a.outcome.status] ?? a.outcome.status}).`,
        );
      }
    }
    if (record.pinned === 'differs') {
      problems.push(`The key at ${label} is not the one this machine's client pinned: a client here refuses it.`);
    }
    if (record.thisHost) {
      const set = record.thisHost;
      if (set.priority !== r.priority || set.weight !== r.weight) {
        problems.push(
          `This host's record says priority ${r.priority}, weight ${r.weight}; the publish list sets ${set.priority}, ${set.weight}: publish again (quorum dns publish) or wait for the next refresh.`,
        );
      }
    }
    records.push(record);
  }
  // A record that does not answer while another record for the same target does is a wrong port.
  for (const rec of records.filter((x) => !x.reachable)) {
    const twin = records.find((x) => x.reachable && x.target === rec.target);
    const localPort = options.local?.port ?? null;
    if (twin) rec.problems.push(`Port ${rec.port} is wrong: the host ${rec.target} answers on port ${twin.port}.`);
    else if (localPort !== null && localPort !== rec.port && rec.addresses.length > 0) {
      rec.problems.push(
        `No host answers on port ${rec.port}; if this record is meant for this host, it listens on port ${localPort}.`,
      );
    }
  }
  const stale = records.filter((r) => !r.reachable).length;
  const problems: string[] = [];
  if (records.length === 0) {
    problems.push(
      `${queryName} has no SRV records at ${lookup.serverLabel}: clients using --domain ${domain} find no host.`,
    );
  }
  if (stale > 0) {
    problems.push(
      `${stale} of ${records.length} record${records.length === 1 ? '' : 's'} name${stale === 1 ? 's' : ''} a host that does not answer: clients try ${stale === 1 ? 'it' : 'them'} first when ${stale === 1 ? 'it wins' : 'they win'} the selection, then time out. Withdraw or fix ${stale === 1 ? 'it' : 'them'}.`,
    );
  }
  if (vlmcs.length > 0) {
    problems.push(
      `${queryNameOf('_vlmcs._tcp', domain)} has ${vlmcs.length} record(s): that name belongs to Microsoft KMS; Quorum never uses it.`,
    );
  }
  return {
    domain,
    queryName,
    server: lookup.serverLabel,
    records,
    vlmcs: vlmcs.map((v) => ({ target: v.name, port: v.port })),
    stale,
    problems,
  };
}
