/**
 * Bounds on the console's HTTP server, so that connections held open on purpose (slowloris: a
 * header line every few seconds, never the blank line) cannot take the process's sockets and
 * memory, nor keep the admin out: a cap in all, a smaller cap per address, and deadlines for the
 * headers, the whole request and an idle keep-alive connection. WebSocket sessions count towards
 * both caps while they are open; their own limit is in console-socket.ts.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConsoleLimits {
  /** Open connections at once, WebSocket sessions included. */
  maxConnections: number;
  /** Open connections from one address. */
  maxConnectionsPerAddress: number;
  /** Time to send the request's headers. */
  headersTimeoutMs: number;
  /** Time to send the whole request. */
  requestTimeoutMs: number;
  /** Time a connection may stay idle (keep-alive between requests, or stalled). */
  idleTimeoutMs: number;
}

export const DEFAULT_CONSOLE_LIMITS: ConsoleLimits = {
  maxConnections: 256,
  maxConnectionsPerAddress: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
};

/** The http.createServer options that carry the deadlines (checked at a fraction of the shortest). */
export function serverTimeouts(l: ConsoleLimits): {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
  keepAliveTimeout: number;
} {
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(l.headersTimeoutMs / 4))),
    keepAliveTimeout: Math.min(5_000, l.idleTimeoutMs),
  };
}

/**
 * Applies the caps to `http`; the connections refused are counted and logged at most once a
 * minute. Returns how many were refused so far.
 */
export function limitConnections(http: Server, l: ConsoleLimits, log: (line: string) => void): () => number {
  const perAddress = new Map<string, number>();
  let open = 0;
  let refused = 0;
  let lastLog = 0;
  const refuse = (socket: Socket, why: string) => {
    refused++;
    socket.destroy();
    const now = Date.now();
    if (now - lastLog >= 60_000) {
      lastLog = now;
      log(`console: refused a connection (${why}); ${refused} refused so far`);
    }
  };
  http.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const mine = perAddress.get(address) ?? 0;
    if (open >= l.maxConnections) return refuse(socket, `${l.maxConnections} connections are open`);
    if (mine >= l.maxConnectionsPerAddress) {
      return refuse(socket, `${l.maxConnectionsPerAddress} connections from ${address} are open`);
    }
    open++;
    perAddress.set(address, mine + 1);
    // Stalled mid-request or idle after one: closed, so a held connection costs its holder time.
    socket.setTimeout(l.idleTimeoutMs, () => socket.destroy());
    socket.once('close', () => {
      open--;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });
  return () => refused;
}
