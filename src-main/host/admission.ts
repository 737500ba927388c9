/**
 * Optional client admission (docs/protocol.md, "Admission"): a site token whose HMAC-SHA256 over
 * the request must accompany it, allowed address ranges (CIDR, IPv4 and IPv6, IPv4-mapped IPv6
 * treated as IPv4), and a per-address request rate. Refusals carry the QAP status the client gets
 * and the request result the host counts.
 */
import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { QuorumError } from '../../shared/domain/errors.js';
import type { Clock } from '../../shared/domain/clock.js';
import type { RequestResult } from '../../shared/domain/records.js';
import { QapStatus } from '../../shared/protocol/qap-types.js';
import { RateLimiter } from '../rpc/rate-limiter.js';
import { normalizeAddress } from '../../shared/domain/address.js';
import { computeSiteTokenMac } from '../client/site-token.js';

export { computeSiteTokenMac };

export interface AdmissionOptions {
  /** When set, every request must carry HMAC-SHA256(siteToken, requestMacInput(request)). */
  siteToken?: string;
  /** When set and not empty, only these ranges may activate, e.g. ["10.0.0.0/8", "fd00::/8", "127.0.0.1"]. */
  allowedRanges?: string[];
  /** Activation requests per address per second; 0 or absent means no limit here. */
  requestsPerAddressPerSecond?: number;
  clock: Clock;
}

export type AdmissionReason = 'site-token-missing' | 'site-token-mismatch' | 'address-not-allowed' | 'rate-limited';

export type AdmissionResult =
  | { admitted: true }
  | { admitted: false; reason: AdmissionReason; status: QapStatus; result: RequestResult; message: string };

export interface Admission {
  check(requestBytes: Uint8Array, siteTokenMac: Uint8Array | null, remoteAddress: string): AdmissionResult;
}

/** What a client puts in siteTokenMac. */

export function parseRanges(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const text of ranges) {
    const [addrRaw, prefixText, extra] = text.trim().split('/');
    const addr = normalizeAddress(addrRaw ?? '');
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (family === 0 || extra !== undefined || !/^\d+$/.test(String(prefix)) || prefix > max) {
      throw new QuorumError(
        'ADMISSION_BAD_RANGE',
        `"${text}" is not an address range.`,
        'Write ranges as CIDR, e.g. 192.168.1.0/24, fd00::/8, or a single address.',
      );
    }
    list.addSubnet(addr, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

function refuse(reason: AdmissionReason, message: string): AdmissionResult {
  const limited = reason === 'rate-limited';
  return {
    admitted: false,
    reason,
    status: limited ? QapStatus.RateLimited : QapStatus.AdmissionRefused,
    result: limited ? 'rate-limited' : 'admission-refused',
    message,
  };
}

export function createAdmission(options: AdmissionOptions): Admission {
  const token = options.siteToken;
  const ranges = options.allowedRanges && options.allowedRanges.length > 0 ? parseRanges(options.allowedRanges) : null;
  const limiter =
    options.requestsPerAddressPerSecond && options.requestsPerAddressPerSecond > 0
      ? new RateLimiter({ limit: options.requestsPerAddressPerSecond, now: () => options.clock.now() })
      : null;
  return {
    check(requestBytes, siteTokenMac, remoteAddress) {
      const address = normalizeAddress(remoteAddress);
      if (ranges) {
        const family = isIP(address);
        if (family === 0 || !ranges.check(address, family === 4 ? 'ipv4' : 'ipv6')) {
          return refuse('address-not-allowed', `Address ${address} is not in the allowed ranges.`);
        }
      }
      if (token !== undefined) {
        if (siteTokenMac === null) return refuse('site-token-missing', 'The request carries no site token MAC.');
        const expected = computeSiteTokenMac(token, requestBytes);
        if (!timingSafeEqual(expected, siteTokenMac)) {
          return refuse('site-token-mismatch', 'The site token MAC does not match this host’s site token.');
        }
      }
      if (limiter && !limiter.take(address)) {
        return refuse(
          'rate-limited',
          `Address ${address} sent more than ${options.requestsPerAddressPerSecond} requests per second.`,
        );
      }
      return { admitted: true };
    },
  };
}

/** An admission in the words of the host's log: "clients from 10.0.0.0/8 only; no site token needed". */
export function describeAdmission(a: { siteToken?: string; allowedRanges?: string[] }): string {
  const from = a.allowedRanges?.length ? `clients from ${a.allowedRanges.join(', ')} only` : 'clients from any address';
  return `${from}; ${a.siteToken ? 'requests must carry the site token' : 'no site token needed'}`;
}
