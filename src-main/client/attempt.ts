/**
 * One activation attempt, as KMS clients make it: the cached host first (when caching is on);
 * if it does not answer, the cache is dropped and discovery runs again: static hosts in the order
 * given, or DNS SRV records in RFC 2782 order, domain after domain. A host that does not answer is
 * skipped. The first verified answer ends the attempt; a security failure (bad signature, replay,
 * host key mismatch) ends it at once and loudly.
 */
import { randomFillSync } from 'node:crypto';
import { isIP } from 'node:net';
import { QuorumError } from '../../shared/domain/errors.js';
import type { Product } from '../../shared/domain/products.js';
import { QapStatus, type ActivationRequest, type ActivationResponse } from '../../shared/protocol/qap-types.js';
import { decodeSignedResponse, encodeActivationRequest, withRequestMac } from '../../shared/protocol/qap-codec.js';
import { computeSiteTokenMac } from './site-token.js';
import { formatHostAddress, type HostAddress } from '../dns/host-address.js';
import { queryNameOf, type SrvLookup } from '../dns/srv-lookup.js';
import { orderSrvTargets, type RandomSource } from '../dns/srv-select.js';
import * as errors from './errors.js';
import type { ClientEvent } from './events.js';
import type { CachedHost, ClientState } from './state-file.js';
import type { ActivationTransport, DirectTransport } from './transport.js';
import { verifyReply, type PinPolicy } from './verify-response.js';

export type Discovery =
  | { kind: 'static'; hosts: HostAddress[] }
  | { kind: 'dns'; domains: string[]; serviceName: string; lookup: SrvLookup };

export interface AttemptSetup {
  discovery: Discovery;
  transport: ActivationTransport | DirectTransport;
  hostCaching: boolean;
  adminPins: readonly string[];
  timeoutMs: number;
  random: RandomSource;
  /** Shared secret of the site's admission check; each request then carries its HMAC. */
  siteToken: string | null;
  emit: (e: ClientEvent) => void;
}

/** The request fields that do not change from host to host within one attempt. */
export type RequestTemplate = Omit<ActivationRequest, 'nonce'>;

export interface AttemptResult {
  activated: boolean;
  /** Null when activated. */
  error: QuorumError | null;
  /** The verified response that decided the attempt, if any host gave one. */
  response: ActivationResponse | null;
  /** "host:port" that gave it. */
  host: string | null;
  fingerprint: string | null;
}

class SecurityFailure extends Error {
  constructor(readonly error: QuorumError) {
    super(error.message);
  }
}

interface Answer {
  label: string;
  target: HostAddress;
  via: string;
  response: ActivationResponse;
  fingerprint: string;
}

/**
 * Runs one attempt. Mutates `state.pins` (a newly trusted host) and `state.cachedHost`; the
 * caller persists the state afterwards.
 */
export async function runAttempt(
  setup: AttemptSetup,
  state: ClientState,
  product: Product,
  template: RequestTemplate,
): Promise<AttemptResult> {
  const failures: errors.HostFailure[] = [];
  const refusals: QuorumError[] = [];
  const dnsErrors: QuorumError[] = [];
  /** SRV names that answered with no records. */
  const empty: string[] = [];
  const pins: PinPolicy = { admin: setup.adminPins, tofu: state.pins };
  const tried = new Set<string>();

  const tryTarget = async (target: HostAddress, cached: boolean, via: string): Promise<Answer | null> => {
    const label = formatHostAddress(target);
    tried.add(label);
    const fail = (failure: errors.HostFailure): null => {
      setup.emit({ type: 'host-failed', host: label, code: failure.code, message: failure.message });
      failures.push(failure);
      return null;
    };
    let addresses: string[];
    try {
      addresses = await addressesOf(setup.discovery, target.host);
    } catch (e) {
      return fail(failureOf(label, e));
    }
    if (addresses.length === 0) {
      return fail({ host: label, code: 'CLIENT_NO_ADDRESS', message: 'its name has no A or AAAA record' });
    }
    for (const address of addresses) {
      const connectTo = { host: address, port: target.port };
      setup.emit({ type: 'host-try', host: label, address, cached });
      const request: ActivationRequest = { ...template, nonce: freshNonce() };
      try {
        const transport = setup.transport;
        if ('ask' in transport) {
          const { response, fingerprint } = await transport.ask(connectTo, request);
          return { label, target, via, response, fingerprint };
        }
        const bytes = await transport.exchange(connectTo, encodeRequest(request, setup.siteToken), setup.timeoutMs);
        const reply = decodeSignedResponse(bytes);
        const fingerprint = verifyReply(label, request, reply, pins);
        return { label, target, via, response: reply.response, fingerprint };
      } catch (e) {
        if (e instanceof QuorumError && SECURITY_CODES.has(e.code)) throw new SecurityFailure(e);
        fail(failureOf(label === formatHostAddress(connectTo) ? label : `${label} (${address})`, e));
      }
    }
    return null;
  };

  // An answer decides the attempt if the host processed the request; refusals let us try others.
  const settle = (answer: Answer): AttemptResult | null => {
    const r = answer.response;
    if (r.status === QapStatus.Ok) {
      if (!pins.admin.length) state.pins[answer.label] ??= answer.fingerprint;
      if (setup.hostCaching) state.cachedHost = { host: answer.target.host, port: answer.target.port, via: answer.via };
      const error = r.granted
        ? null
        : errors.countInsufficient(
            answer.label,
            r.hostId,
            r.count,
            r.threshold,
            product.displayName,
            r.activationIntervalMin,
          );
      return { activated: r.granted, error, response: r, host: answer.label, fingerprint: answer.fingerprint };
    }
    refusals.push(refusalError(answer.label, r));
    return null;
  };

  try {
    const cached = setup.hostCaching ? usableCache(setup.discovery, state.cachedHost) : null;
    if (cached) {
      const answer = await tryTarget(cached, true, cached.via ?? 'static');
      const done = answer && settle(answer);
      if (done) return done;
      setup.emit({ type: 'cache-dropped', host: formatHostAddress(cached) });
      state.cachedHost = null;
    }
    if (setup.discovery.kind === 'static') {
      for (const host of setup.discovery.hosts) {
        if (tried.has(formatHostAddress(host))) continue;
        const answer = await tryTarget(host, false, 'static');
        const done = answer && settle(answer);
        if (done) return done;
      }
    } else {
      const { lookup, serviceName } = setup.discovery;
      for (const domain of setup.discovery.domains) {
        const name = queryNameOf(serviceName, domain);
        setup.emit({ type: 'dns-query', name, server: lookup.serverLabel });
        let records;
        try {
          records = await lookup.srv(name);
        } catch (e) {
          if (e instanceof QuorumError) dnsErrors.push(e);
          failures.push(failureOf(`DNS ${name}`, e));
          continue;
        }
        setup.emit({ type: 'dns-records', name, records });
        if (records.length === 0) empty.push(name);
        for (const record of orderSrvTargets(records, setup.random)) {
          const target = { host: record.name, port: record.port };
          if (tried.has(formatHostAddress(target))) continue;
          const answer = await tryTarget(target, false, name);
          const done = answer && settle(answer);
          if (done) return done;
        }
      }
      if (refusals.length === 0 && failures.length === 0 && empty.length > 0) {
        return failed(errors.dnsNoRecords(empty, lookup.serverLabel));
      }
    }
    if (refusals.length > 0) return failed(refusals[0]!);
    // DNS itself failed and no host was even tried: say so, with the server it asked.
    if (dnsErrors.length > 0 && dnsErrors.length === failures.length) return failed(errors.dnsFailed(dnsErrors, empty));
    return failed(errors.noHostAnswered(failures));
  } catch (e) {
    if (e instanceof SecurityFailure) return failed(e.error);
    throw e;
  }
}

/**
 * 16 bytes from the system's CSPRNG, drawn 4 KiB at a time: one call per request costs more than
 * the rest of an in-process attempt (the simulator makes a million of them).
 */
const noncePool = new Uint8Array(4096);
let noncePoolUsed = noncePool.length;

function freshNonce(): Uint8Array {
  if (noncePoolUsed === noncePool.length) {
    randomFillSync(noncePool);
    noncePoolUsed = 0;
  }
  noncePoolUsed += 16;
  return noncePool.slice(noncePoolUsed - 16, noncePoolUsed);
}

function encodeRequest(request: ActivationRequest, siteToken: string | null): Uint8Array {
  if (siteToken === null) return encodeActivationRequest({ ...request, siteTokenMac: null });
  // The MAC covers the request up to its MAC field: encode with a zero MAC, then put the real one in.
  const draft = encodeActivationRequest({ ...request, siteTokenMac: new Uint8Array(32) });
  return withRequestMac(draft, computeSiteTokenMac(siteToken, draft));
}

const SECURITY_CODES = new Set(['CLIENT_SIGNATURE_INVALID', 'CLIENT_REPLAY', 'CLIENT_HOST_KEY_MISMATCH']);

/**
 * The cached host, if it belongs to the current configuration: one of the fixed hosts, or found
 * through one of the SRV names now queried. A host cached under other settings is not used
 * (a person who pins `--host A` means A), and is replaced by the next answer.
 */
function usableCache(discovery: Discovery, cached: CachedHost | null): CachedHost | null {
  if (!cached) return null;
  const label = formatHostAddress(cached);
  if (discovery.kind === 'static') return discovery.hosts.some((h) => formatHostAddress(h) === label) ? cached : null;
  const names = discovery.domains.map((d) => queryNameOf(discovery.serviceName, d));
  return cached.via !== undefined && names.includes(cached.via) ? cached : null;
}

function failed(error: QuorumError): AttemptResult {
  return { activated: false, error, response: null, host: null, fingerprint: null };
}

function failureOf(host: string, e: unknown): errors.HostFailure {
  if (e instanceof QuorumError) return { host, code: e.code, message: e.message };
  return { host, code: 'CLIENT_EXCHANGE_FAILED', message: e instanceof Error ? e.message : String(e) };
}

async function addressesOf(discovery: Discovery, host: string): Promise<string[]> {
  // Static names are resolved by the system when connecting; discovered names through the DNS
  // server that published them, which the system resolver may not know.
  if (isIP(host) !== 0 || discovery.kind === 'static') return [host];
  return discovery.lookup.addresses(host);
}

function refusalError(host: string, r: ActivationResponse): QuorumError {
  switch (r.status) {
    case QapStatus.HostNotActivated:
      return errors.hostNotActivated(host, r.hostId);
    case QapStatus.AdmissionRefused:
      return errors.admissionRefused(host, r.hostId);
    case QapStatus.UnknownProduct:
      return errors.hostRefused(host, r.hostId, 'it does not serve this product');
    case QapStatus.ProductNotCovered:
      return errors.hostRefused(
        host,
        r.hostId,
        "its host key does not cover this product (install a key of the product's family on a host)",
      );
    case QapStatus.RateLimited:
      return errors.hostRefused(host, r.hostId, 'this client asked too often (rate limited)');
    default:
      return errors.hostRefused(host, r.hostId, 'it found the request invalid');
  }
}
