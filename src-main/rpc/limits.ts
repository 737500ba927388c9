import { QuorumError } from '../../shared/domain/errors.js';

/** The listener's limits (docs/protocol.md, "Limits"). Every one is configurable; these are the defaults. */
export interface RpcLimits {
  /**
   * Open connections at once. At the cap the oldest evictable connection makes room (see
   * stalledAfterMs); failing that, the address holding the most connections gives up its oldest
   * connection to a newcomer from an address that holds fewer; failing that, the newcomer is closed.
   */
  maxConnections: number;
  /**
   * Open connections from one address; at it, that address's own oldest evictable connection makes
   * room. 0 leaves only the global cap.
   */
  maxConnectionsPerAddress: number;
  /**
   * A connection that is running no call and has had no bind accepted and no call answered for this
   * long is evictable at a cap even while it is half-way through a message; an idle one always is.
   */
  stalledAfterMs: number;
  /**
   * A connection with no call in progress and nothing half-received is closed this long after its
   * last progress (a bind accepted or a call answered; its start before that): PDUs that complete
   * no call do not keep it open.
   */
  idleTimeoutMs: number;
  /** A fragment or a fragmented call that has started must complete within this long. */
  readTimeoutMs: number;
  /** Largest fragment the host receives or sends (the max_recv_frag / max_xmit_frag it offers). */
  maxFragment: number;
  /** Largest reassembled request stub. */
  maxStubBytes: number;
  /** Calls on one connection; the next gets nca_s_server_too_busy and the connection closes. */
  maxCallsPerConnection: number;
  /**
   * Calls and faults per remote address per second (token bucket): every call, whatever its opnum
   * or context, and every fault the host sends. 0 turns the limit off.
   */
  requestsPerAddressPerSecond: number;
  /**
   * A connection that went over its address's rate is read no further for this long (it still gets
   * its fault); 0: no pause.
   */
  rateLimitPauseMs: number;
}

export const DEFAULT_RPC_LIMITS: Readonly<RpcLimits> = {
  maxConnections: 2048,
  maxConnectionsPerAddress: 128,
  stalledAfterMs: 2_000,
  idleTimeoutMs: 30_000,
  readTimeoutMs: 10_000,
  maxFragment: 5840,
  maxStubBytes: 16_384,
  maxCallsPerConnection: 100_000,
  requestsPerAddressPerSecond: 5_000,
  rateLimitPauseMs: 1_000,
};

export function resolveLimits(partial: Partial<RpcLimits> | undefined): RpcLimits {
  const limits = { ...DEFAULT_RPC_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0)
      throw new QuorumError(
        'RPC_BAD_LIMIT',
        `The RPC limit ${name} must be a whole number >= 0; got ${String(value)}.`,
      );
  }
  if (limits.maxFragment < 64 || limits.maxFragment > 65_535) {
    throw new QuorumError('RPC_BAD_LIMIT', `maxFragment must be 64..65535; got ${limits.maxFragment}.`);
  }
  return limits;
}
