/**
 * The listener's counters, one object shared by all its connections (plain fields, so counting
 * costs nothing per call); RpcListener.stats() hands out a copy.
 */
export interface RpcStats {
  accepted: number;
  open: number;
  evicted: number;
  refusedAtCap: number;
  binds: number;
  bindNaks: number;
  calls: number;
  responses: number;
  faults: number;
  protocolErrors: number;
  timeouts: number;
  rateLimited: number;
}

export function emptyStats(): RpcStats {
  return {
    accepted: 0,
    open: 0,
    evicted: 0,
    refusedAtCap: 0,
    binds: 0,
    bindNaks: 0,
    calls: 0,
    responses: 0,
    faults: 0,
    protocolErrors: 0,
    timeouts: 0,
    rateLimited: 0,
  };
}
