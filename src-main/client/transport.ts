/**
 * How one encoded activation request reaches a host and its reply comes back. The agent uses
 * DCE/RPC over TCP (rpc-transport.ts); the simulator and tests can plug in an in-process transport
 * that calls a host directly and still exercises the real codec, signatures and verification.
 */
import type { HostAddress } from '../dns/host-address.js';

export interface ActivationTransport {
  /** Sends the request stub to `target` and returns the response stub. Throws QuorumError when the host does not answer. */
  exchange(target: HostAddress, stub: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
}
