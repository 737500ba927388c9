/**
 * The QAP activation listener: TCP on IPv4 and IPv6, TCP_NODELAY, one ServerConnection per
 * socket, the connection cap with idle eviction, idle and read timeouts, and the per-address call
 * rate. A slow or hostile peer costs one socket and at most one fragment of memory.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { resolveLimits, type RpcLimits } from './limits.js';
import { peerAddress } from './peer-address.js';
import { RateLimiter } from './rate-limiter.js';
import {
  ServerConnection,
  emptyStats,
  type ActivateHandler,
  type ConnectionTransport,
  type RpcStats,
} from './server-connection.js';

export type { RpcLimits } from './limits.js';
export type { RpcStats, ActivateHandler } from './server-connection.js';
export { DEFAULT_RPC_LIMITS } from './limits.js';

export interface RpcListenerOptions {
  listen: { host: string; port: number }[];
  limits?: Partial<RpcLimits>;
  onActivate: ActivateHandler;
  log?: (line: string) => void;
}

export interface RpcListener {
  addresses(): { host: string; port: number }[];
  close(): Promise<void>;
  stats(): RpcStats;
  readonly limits: RpcLimits;
}

/**
 * "::" alone is dual stack: IPv4 clients reach it too (as ::ffff:a.b.c.d). Only beside an IPv4
 * wildcard on the same port must it be IPv6-only, or the two would collide.
 */
function ipv6Only(address: { host: string; port: number }, all: readonly { host: string; port: number }[]): boolean {
  return address.host === '::' && all.some((a) => a.host === '0.0.0.0' && a.port === address.port);
}

/**
 * Listening addresses as an admin reads them: "[::1]:1688", "0.0.0.0:1688"; a lone "::" is dual
 * stack, and says so, or it reads as "not on IPv4".
 */
export function describeAddresses(addresses: readonly { host: string; port: number }[]): string[] {
  const text = addresses.map((a) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`));
  if (addresses.length === 1 && addresses[0]!.host === '::') text[0] += ' (IPv6 and IPv4)';
  return text;
}

/** Swallows socket errors: the 'close' that follows every error does the cleanup. */
const ignore = (): void => {};

/**
 * One accepted socket and its association. It is the connection's transport itself, and its
 * socket handlers are its own two arrow fields, so a connection costs few allocations.
 */
class Live implements ConnectionTransport {
  readonly socket: Socket;
  conn!: ServerConnection;
  timer: NodeJS.Timeout | null = null;
  timerKind: 'idle' | 'read' | null = null;
  readonly #arm: (l: Live) => void;

  constructor(socket: Socket, arm: (l: Live) => void) {
    this.socket = socket;
    this.#arm = arm;
  }

  write(bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  // Ending a socket the peer already closed would only build an error object.
  end(): void {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (this.socket.isPaused()) this.socket.resume();
    this.#arm(this);
  }

  /**
   * The peer sent FIN. With nothing running and nothing unsent, the socket is closed at once: the
   * peer is gone, and a shutdown() first (what Node does without allowHalfOpen) would only cost a
   * system call and a round of stream events per connection. Otherwise end() as Node would.
   */
  readonly onEnd = (): void => {
    if (this.conn.idle && this.socket.writableLength === 0) this.socket.destroy();
    else this.end();
  };

  readonly onData = (chunk: Buffer): void => {
    this.conn.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#arm(this);
  };
}

export async function startRpcListener(options: RpcListenerOptions): Promise<RpcListener> {
  const limits = resolveLimits(options.limits);
  const log = options.log ?? (() => {});
  const stats = emptyStats();
  const live = new Set<Live>();
  const rateLimiter =
    limits.requestsPerAddressPerSecond > 0
      ? new RateLimiter({ perSecond: limits.requestsPerAddressPerSecond, now: () => Date.now() })
      : null;
  let assocGroup = 0x1000;

  // One timer per connection: the idle timeout between calls, restarted by each event; the read
  // timeout from the first byte of a message, NOT restarted by later bytes (a peer trickling one
  // byte at a time must still finish in time); neither fires while the host itself works on a call.
  const arm = (l: Live): void => {
    if (l.conn.closed) return clearTimer(l);
    if (l.conn.midMessage) {
      if (l.timerKind === 'read') return;
      setTimer(l, 'read', limits.readTimeoutMs);
    } else if (l.conn.idle) {
      setTimer(l, 'idle', limits.idleTimeoutMs);
    }
    // While the host works on a call the pending timer stays (cheaper than clearing it every call)
    // but does not fire: its callback puts itself off until the call is over.
  };

  const clearTimer = (l: Live): void => {
    if (l.timer) clearTimeout(l.timer);
    l.timer = null;
    l.timerKind = null;
  };

  const setTimer = (l: Live, kind: 'idle' | 'read', ms: number): void => {
    if (l.timer && l.timerKind === kind) {
      // Restarting the pending timer costs less than a new one per call.
      l.timer.refresh();
      return;
    }
    clearTimer(l);
    if (ms <= 0) return;
    l.timerKind = kind;
    l.timer = setTimeout(() => {
      if (!l.conn.closed && !l.conn.idle && !l.conn.midMessage) {
        l.timer?.refresh();
        return;
      }
      stats.timeouts++;
      l.conn.close(kind === 'idle' ? 'idle timeout' : 'read timeout: a message did not complete in time');
      l.socket.destroySoon();
    }, ms);
    l.timer.unref();
  };

  const makeRoom = (): boolean => {
    if (live.size < limits.maxConnections) return true;
    for (const l of live) {
      if (l.conn.idle) {
        stats.evicted++;
        l.conn.close('closed to make room at the connection cap');
        l.socket.destroy();
        return true;
      }
    }
    return false;
  };

  const onSocket = (socket: Socket, localPort: number): void => {
    if (!makeRoom()) {
      stats.refusedAtCap++;
      socket.destroy();
      return;
    }
    stats.accepted++;
    // createServer({ noDelay: true }) already set TCP_NODELAY on the accepted socket.
    const l = new Live(socket, arm);
    l.conn = new ServerConnection(l, {
      remoteAddress: peerAddress(socket.remoteAddress),
      // The listening port (what getsockname would say) spares a system call per connection.
      localPort,
      assocGroupId: (assocGroup = (assocGroup + 1) >>> 0),
      limits,
      onActivate: options.onActivate,
      rateLimiter,
      stats,
      log,
    });
    live.add(l);
    stats.open = live.size;
    l.conn.onClose = () => {
      forget(l);
      // A peer that never reads must not keep a closed connection's socket alive. A socket that
      // is already destroyed (the usual close) needs no such timer.
      if (!socket.destroyed) setTimeout(() => socket.destroy(), 5_000).unref();
    };
    socket.on('data', l.onData);
    socket.on('end', l.onEnd);
    socket.on('error', ignore);
    socket.on('close', () => {
      l.conn.close();
      forget(l);
    });
    arm(l);
  };

  const forget = (l: Live): void => {
    clearTimer(l);
    if (live.delete(l)) stats.open = live.size;
  };

  const servers: Server[] = [];
  try {
    for (const address of options.listen) {
      let port = 0;
      const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => onSocket(socket, port));
      // Above the cap the listener evicts or refuses itself; the kernel backlog stays generous.
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: address.host, port: address.port, ipv6Only: ipv6Only(address, options.listen) }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      port = (server.address() as AddressInfo).port;
      server.on('error', (e) => log(`rpc listener error: ${e.message}`));
      servers.push(server);
    }
  } catch (e) {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    throw e;
  }

  return {
    limits,
    addresses: () =>
      servers.map((s) => {
        const a = s.address() as AddressInfo;
        return { host: a.address, port: a.port };
      }),
    stats: () => ({ ...stats }),
    close: async () => {
      const closing = servers.map((s) => new Promise<void>((r) => s.close(() => r())));
      for (const l of [...live]) {
        l.conn.close();
        l.socket.destroy();
      }
      await Promise.all(closing);
    },
  };
}
