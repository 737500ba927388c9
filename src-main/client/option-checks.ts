/**
 * Checks of the options a person types, made when the client is created, so a typo is reported
 * as what it is before anything is sent: not later as a DNS failure, a silent default, or a
 * "key mismatch" against a fingerprint that could never match.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import { encodeMachineName, MAX_MACHINE_NAME_BYTES } from '../../shared/protocol/qap-codec.js';
import { isDnsName } from '../dns/host-address.js';
import { normaliseFingerprint } from './verify-response.js';

export function checkMachineName(name: string): string {
  try {
    encodeMachineName(name);
  } catch (e) {
    throw new QuorumError(
      'CLIENT_BAD_MACHINE_NAME',
      `The machine name ${JSON.stringify(name)} cannot be sent: ${e instanceof Error ? e.message : String(e)}`,
      `Pass --machine-name with 1 to ${MAX_MACHINE_NAME_BYTES} bytes of text, no control characters.`,
    );
  }
  return name;
}

/** A host key fingerprint is SHA-256: 64 hex digits once separators are dropped. */
export function checkPins(pins: readonly string[]): string[] {
  return pins.map((pin) => {
    const fp = normaliseFingerprint(pin);
    if (!/^[0-9a-f]{64}$/.test(fp)) {
      throw new QuorumError(
        'CLIENT_BAD_PIN',
        `--pin "${pin}" is not a host key fingerprint: it must be 64 hex digits (SHA-256), got ` +
          `${/^[0-9a-f]*$/.test(fp) ? `${fp.length} digits` : 'characters that are not hex digits'}.`,
        'Copy the fingerprint that quorum serve prints on start ("host key fingerprint ...") or quorum status shows.',
      );
    }
    return fp;
  });
}

export function checkDomains(domains: readonly string[]): void {
  for (const domain of domains) {
    if (!isDnsName(domain.trim()) || domain.trim() !== domain) {
      throw new QuorumError(
        'CLIENT_BAD_DISCOVERY',
        `--domain "${domain}" is not a domain name.`,
        'Give the DNS domain the hosts publish in, e.g. --domain office.example (letters, digits, hyphens and dots).',
      );
    }
  }
}

/**
 * "_service._tcp". Microsoft's `_vlmcs._tcp` is refused: Windows clients look there, and a Quorum
 * host answering them must never happen (nor a Quorum client asking KMS hosts).
 */
export function checkServiceName(service: string): string {
  const bad = (why: string): QuorumError =>
    new QuorumError(
      'CLIENT_BAD_DISCOVERY',
      `--service "${service}" ${why}.`,
      'Leave --service out to use _quorum._tcp, or give the name the hosts publish, as _NAME._tcp.',
    );
  if (/^_vlmcs\./i.test(service)) {
    throw bad("is Microsoft KMS's SRV name; Quorum never uses it, so real Windows clients are never involved");
  }
  if (!/^_[A-Za-z0-9][A-Za-z0-9-]{0,61}\._tcp\.?$/i.test(service)) {
    throw bad('is not an SRV service name of the form _NAME._tcp');
  }
  return service;
}
