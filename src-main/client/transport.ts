/**
 * How one encoded activation request reaches a host and its reply comes back. The agent uses
 * DCE/RPC over TCP (rpc-transport.ts); tests can plug in an in-process transport that calls a host
 * directly and still exercises the real codec, signatures and verification.
 */
import type { ActivationRequest, ActivationResponse } from '../../shared/protocol/qap-types.js';
import type { HostAddress } from '../dns/host-address.js';

export interface ActivationTransport {
  /** Sends the request stub to `target` and returns the response stub. Throws QuorumError when the host does not answer. */
  exchange(target: HostAddress, stub: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
}

/**
 * A host reached in the same process without bytes: the simulator's hosts, which answer through
 * the host's own responder (activation-handler.ts) and skip only the codec and the signature, so a
 * fleet of thousands runs for a year in seconds. The attempt logic, failover, caching and license
 * state machine around it are the agent's own.
 */
export interface DirectTransport {
  /** Throws QuorumError when the host does not answer. */
  ask(target: HostAddress, request: ActivationRequest): Promise<{ response: ActivationResponse; fingerprint: string }>;
}
