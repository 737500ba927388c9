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
  /** Connections closed unserved because the peer was gone before its address could be read. */
  peerGone: number;
  /** Times a connection was read no further because its replies were not being read. */
  writePauses: number;
  /** The most bytes one connection held in the host at once: unsent replies plus unprocessed requests. */
  peakBufferedBytes: number;
  /** Exceptions caught in the RPC layer: each closed its connection; the listener kept serving. */
  internalErrors: number;
  /** Log lines left out by the log throttle (a summary line says how many). */
  logSuppressed: number;
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
    peerGone: 0,
    writePauses: 0,
    peakBufferedBytes: 0,
    internalErrors: 0,
    logSuppressed: 0,
  };
}
