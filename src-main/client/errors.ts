/**
 * The client's errors. Codes are stable (docs/client.md lists each with what to check); messages
 * name the host, query or file involved so a person can act without reading logs.
 */
import { QuorumError } from '../../shared/domain/errors.js';

export interface HostFailure {
  /** "host:port" as tried. */
  host: string;
  code: string;
  message: string;
}

export function dnsNoRecords(queries: string[], server: string): QuorumError {
  return new QuorumError(
    'CLIENT_DNS_NO_RECORDS',
    `No Quorum host is published in DNS: ${queries.map((q) => `${q} SRV`).join(', ')} returned no records from ${server}.`,
    'Check that the host publishes its SRV record (quorum dns check on the host, or dig SRV on the name), that --domain ' +
      'and --service are right, or point the client at a host with --host H[:PORT].',
  );
}

/**
 * DNS failed for some domains and no host was tried: every failed query is named, and the
 * domains that answered with no records too, so fixing the first does not reveal the next.
 */
export function dnsFailed(failures: QuorumError[], emptyQueries: string[]): QuorumError {
  const first = failures[0]!;
  if (failures.length === 1 && emptyQueries.length === 0) return first;
  const none = emptyQueries.length > 0 ? ` ${emptyQueries.map((q) => `${q} SRV`).join(', ')} returned no records.` : '';
  return new QuorumError('CLIENT_DNS_FAILED', `${failures.map((f) => f.message).join(' ')}${none}`, first.hint);
}

export function noHostAnswered(failures: HostFailure[]): QuorumError {
  const list = failures.map((f) => `${f.host}: ${f.message} [${f.code}]`).join('; ');
  return new QuorumError(
    'CLIENT_NO_HOST_ANSWERED',
    `No Quorum host answered (${failures.length} tried): ${list}.`,
    'Check that the hosts run (quorum status on each), that their port is open in firewalls, and that the ' +
      'published port matches the one they listen on.',
  );
}

export function countInsufficient(
  host: string,
  hostId: string,
  count: number,
  threshold: number,
  product: string,
  retryMin: number,
): QuorumError {
  return new QuorumError(
    'CLIENT_COUNT_INSUFFICIENT',
    `Not activated yet: host ${hostId} at ${host} has seen ${count} of the ${threshold} clients it needs before it ` +
      `activates ${product}.`,
    `Nothing is wrong with this machine: it keeps its current state, and the agent (quorum client run) retries every ${retryMin} minutes. The host ` +
      `activates clients once ${threshold} different machines have asked within 30 days; cloned machines that share ` +
      'one CMID count once (quorum clients on the host shows them).',
  );
}

export function hostNotActivated(host: string, hostId: string): QuorumError {
  return new QuorumError(
    'CLIENT_HOST_NOT_ACTIVATED',
    `Host ${hostId} at ${host} answered but is not activating clients: its host key is missing or not activated.`,
    'On the host: quorum key info, then quorum key install KEY and quorum key activate.',
  );
}

export function admissionRefused(host: string, hostId: string): QuorumError {
  return new QuorumError(
    'CLIENT_ADMISSION_REFUSED',
    `Host ${hostId} at ${host} refused this client: it is outside the host's allowed address ranges or its site ` +
      'token is missing or wrong.',
    'Give the site token the host admin issued (--site-token), or ask the admin to allow this address.',
  );
}

export function hostRefused(host: string, hostId: string, what: string): QuorumError {
  return new QuorumError(
    'CLIENT_REQUEST_REFUSED',
    `Host ${hostId} at ${host} refused the request: ${what}.`,
    'Check --product against the products the host serves (quorum status on the host), and the host log.',
  );
}

export function signatureInvalid(host: string): QuorumError {
  return new QuorumError(
    'CLIENT_SIGNATURE_INVALID',
    `The response from ${host} is not correctly signed by the key it names; it was rejected and nothing was activated.`,
    'Something between this machine and the host altered the reply, or the host is not a genuine Quorum host. ' +
      'Check the address, then the network path.',
  );
}

export function replayed(host: string, what: string): QuorumError {
  return new QuorumError(
    'CLIENT_REPLAY',
    `The response from ${host} does not answer this request (${what}); it was rejected as a replay.`,
    'A recorded reply was sent back, or a proxy mixed up sessions. Check what sits between this machine and the host.',
  );
}

export function hostKeyMismatch(
  host: string,
  expected: string[],
  got: string,
  pinnedBy: 'admin' | 'first use',
): QuorumError {
  return new QuorumError(
    'CLIENT_HOST_KEY_MISMATCH',
    `HOST KEY MISMATCH: ${host} signed with key ${got}, but ${
      pinnedBy === 'first use'
        ? 'the key pinned on first use is'
        : expected.length === 1
          ? 'the fingerprint given (--pin) is'
          : 'the fingerprints given (--pin) are'
    } ${expected.join(', ')}. Nothing was activated.`,
    pinnedBy === 'admin'
      ? 'Compare with quorum status on the genuine host; fix --pin, or find who answers at that address.'
      : 'If the host was reinstalled on purpose, remove its entry under "pins" in the state file; otherwise another ' +
        'machine is answering at that address.',
  );
}
