/**
 * A small QAP host for client tests: the real request decoder, response encoder and Ed25519
 * signatures, with a decision the test controls (count, grant, status, intervals). The
 * in-process transport lets the whole lifecycle run on a VirtualClock; integration tests put the
 * same host behind the real RPC listener.
 */
import type { Clock } from '../../../../shared/domain/clock.js';
import { QuorumError } from '../../../../shared/domain/errors.js';
import {
  decodeActivationRequest,
  encodeResponseBody,
  encodeSignedResponse,
} from '../../../../shared/protocol/qap-codec.js';
import { QapStatus, type ActivationRequest, type ActivationResponse } from '../../../../shared/protocol/qap-types.js';
import { formatHostAddress, type HostAddress } from '../../../../src-main/dns/host-address.js';
import { hostIdentityFromSeed, type HostIdentity } from '../../../../src-main/host/identity.js';
import type { ActivationTransport } from '../../../../src-main/client/transport.js';

export interface Behaviour {
  status?: QapStatus;
  granted?: boolean;
  count?: number;
  threshold?: number;
  activationIntervalMin?: number;
  renewalIntervalMin?: number;
  validityMin?: number;
  /** Changes the reply before it is signed (a host that answers the wrong request). */
  override?: (response: ActivationResponse) => ActivationResponse;
  /** Changes the signed reply after signing (to test verification). */
  tamper?: (response: ActivationResponse) => ActivationResponse;
}

export interface TestHost {
  readonly identity: HostIdentity;
  readonly requests: ActivationRequest[];
  behaviour: Behaviour;
  handle(stub: Uint8Array): Uint8Array;
}

export function seed(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

export function createTestHost(clock: Clock, seedByte: number, behaviour: Behaviour = {}): TestHost {
  const identity = hostIdentityFromSeed(seed(seedByte));
  const host: TestHost = {
    identity,
    requests: [],
    behaviour,
    handle(stub) {
      const req = decodeActivationRequest(stub);
      host.requests.push(req);
      const b = host.behaviour;
      let response: ActivationResponse = {
        version: 1,
        status: b.status ?? QapStatus.Ok,
        hostPublicKey: identity.publicKey,
        hostId: identity.hostId,
        cmid: req.cmid,
        nonce: req.nonce,
        clientTime: req.clientTime,
        count: b.count ?? 30,
        threshold: b.threshold ?? 25,
        granted: (b.status ?? QapStatus.Ok) === QapStatus.Ok && (b.granted ?? true),
        activationIntervalMin: b.activationIntervalMin ?? 120,
        renewalIntervalMin: b.renewalIntervalMin ?? 10_080,
        validityMin: b.validityMin ?? 259_200,
        hostTime: clock.now(),
      };
      if (b.override) response = b.override(response);
      const signature = identity.sign(encodeResponseBody(response));
      return encodeSignedResponse(b.tamper ? b.tamper(response) : response, signature);
    },
  };
  return host;
}

/** Hosts reachable by address without sockets; an unknown or `down` address refuses like a closed port. */
export class InProcessNetwork implements ActivationTransport {
  readonly hosts = new Map<string, TestHost>();
  readonly down = new Set<string>();
  readonly contacted: string[] = [];

  add(address: HostAddress, host: TestHost): void {
    this.hosts.set(formatHostAddress(address), host);
  }

  async exchange(target: HostAddress, stub: Uint8Array): Promise<Uint8Array> {
    const key = formatHostAddress(target);
    this.contacted.push(key);
    const host = this.hosts.get(key);
    if (!host || this.down.has(key)) {
      throw new QuorumError('RPC_CONNECT_REFUSED', `Connection to ${key} refused.`);
    }
    return host.handle(stub);
  }
}
