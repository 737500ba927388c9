import { QuorumError } from '../../shared/domain/errors.js';

/** The listener's limits (docs/protocol.md, "Limits"). Every one is configurable; these are the defaults. */
export interface RpcLimits {
  /** Open connections at once. At the cap, the oldest idle connection makes room; if none is idle, the new one is closed. */
  maxConnections: number;
  /** A connection with no call in progress and nothing half-received is closed after this long. */
  idleTimeoutMs: number;
  /** A fragment or a fragmented call that has started must complete within this long. */
  readTimeoutMs: number;
  /** Largest fragment the host receives or sends (the max_recv_frag / max_xmit_frag it offers). */
  maxFragment: number;
  /** Largest reassembled request stub. */
  maxStubBytes: number;
  /** Calls on one connection; the next gets nca_s_server_too_busy and the connection closes. */
  maxCallsPerConnection: number;
  /** Calls per remote address per second (token bucket); 0 turns the limit off. */
  requestsPerAddressPerSecond: number;
}

export const DEFAULT_RPC_LIMITS: Readonly<RpcLimits> = {
  maxConnections: 2048,
  idleTimeoutMs: 30_000,
  readTimeoutMs: 10_000,
  maxFragment: 5840,
  maxStubBytes: 16_384,
  maxCallsPerConnection: 100_000,
  requestsPerAddressPerSecond: 5_000,
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
