/**
 * The QAP activation listener: TCP on IPv4 and IPv6, TCP_NODELAY, one ServerConnection per
 * socket, the global and per-address connection caps with eviction of connections that make no
 * progress, idle and read timeouts, the per-address call rate, and backpressure on unread replies.
 * A slow or hostile peer costs one socket and a bounded amount of memory; an exception in one
 * connection's handling closes that connection, never the listener.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { resolveLimits, type RpcLimits } from './limits.js';
import { ConnectionSlots } from './connection-slots.js';
import { DEFAULT_LOG_THROTTLE, throttleLog, type LogThrottleOptions } from './log-throttle.js';
import { peerAddress } from './peer-address.js';
import { Live } from './live-connection.js';
import { RateLimiter } from './rate-limiter.js';
import { ServerConnection, emptyStats, type ActivateHandler, type RpcStats } from './server-connection.js';

export type { RpcLimits } from './limits.js';
export type { RpcStats, ActivateHandler } from './server-connection.js';
export { DEFAULT_RPC_LIMITS } from './limits.js';

export interface RpcListenerOptions {
  listen: { host: string; port: number }[];
  limits?: Partial<RpcLimits>;
  onActivate: ActivateHandler;
  log?: (line: string) => void;
  /** How many log lines pass per window (the rest are counted and summed up in one line). */
  logThrottle?: Omit<LogThrottleOptions, 'onSuppressed'>;
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

export async function startRpcListener(options: RpcListenerOptions): Promise<RpcListener> {
  const limits = resolveLimits(options.limits);
  const stats = emptyStats();
  const sink = options.log ?? (() => {});
  // A log that fails (a full disk, a closed pipe) must not take a connection, or the listener, with it.
  const safeLog = (line: string): void => {
    try {
      sink(line);
    } catch {
      stats.internalErrors++;
    }
  };
  const log = throttleLog(safeLog, {
    ...(options.logThrottle ?? DEFAULT_LOG_THROTTLE),
    onSuppressed: (n) => (stats.logSuppressed += n),
  });
  const live = new ConnectionSlots<Live>(limits);
  const rateLimiter =
    limits.requestsPerAddressPerSecond > 0
      ? new RateLimiter({ limit: limits.requestsPerAddressPerSecond, now: () => Date.now() })
      : null;
  let assocGroup = 0x1000;

  // One timer per connection. The read timeout runs from the first byte of a message and is NOT
  // restarted by later bytes (a peer trickling one byte at a time must still finish in time). The
  // idle timeout runs from the connection's last progress (a bind accepted or a call answered),
  // so bytes that complete no call (a co_cancel now and then) do not keep a connection open.
  // Neither fires while the host itself works on a call.
  const arm = (l: Live): void => {
    if (l.conn.closed) return clearTimer(l);
    if (l.conn.midMessage) {
      if (l.timerKind !== 'read') setTimer(l, 'read', limits.readTimeoutMs);
    } else if (l.conn.idle) {
      if (l.timerKind !== 'idle') setTimer(l, 'idle', idleLeft(l));
    }
    // While the host works on a call the pending timer stays (cheaper than clearing it every call)
    // but does not fire: its callback puts itself off until the call is over.
  };

  const idleLeft = (l: Live): number => Math.max(1, l.lastProgress + limits.idleTimeoutMs - Date.now());

  const clearTimer = (l: Live): void => {
    if (l.timer) clearTimeout(l.timer);
    l.timer = null;
    l.timerKind = null;
  };

  const setTimer = (l: Live, kind: 'idle' | 'read', ms: number): void => {
    clearTimer(l);
    if (limits[kind === 'idle' ? 'idleTimeoutMs' : 'readTimeoutMs'] <= 0) return;
    l.timerKind = kind;
    l.timer = setTimeout(() => {
      try {
        onTimer(l, kind);
      } catch (e) {
        l.fail(e);
      }
    }, ms);
    l.timer.unref();
  };

  const onTimer = (l: Live, kind: 'idle' | 'read'): void => {
    if (l.conn.closed) return;
    if (!l.conn.idle && !l.conn.midMessage) {
      setTimer(l, kind, kind === 'idle' ? limits.idleTimeoutMs : limits.readTimeoutMs);
      return;
    }
    if (kind === 'idle' && l.conn.idle && idleLeft(l) > 1) {
      // A call was answered since the timer was set: wait out the rest from that call.
      setTimer(l, 'idle', idleLeft(l));
      return;
    }
    if (kind === 'read' && !l.conn.midMessage) {
      setTimer(l, 'idle', idleLeft(l));
      return;
    }
    stats.timeouts++;
    l.conn.close(kind === 'idle' ? 'idle timeout' : 'read timeout: a message did not complete in time');
    l.socket.destroySoon();
  };

  const admit = (address: string): boolean => {
    const room = live.roomFor(address, Date.now());
    if (room.kind === 'free') return true;
    if (room.kind === 'full') return false;
    const victim = room.victim;
    stats.evicted++;
    victim.conn.close(
      room.cap === 'address'
        ? 'closed to make room at the per-address connection cap'
        : 'closed to make room at the connection cap',
    );
    victim.socket.destroy();
    forget(victim);
    return true;
  };

  const onSocket = (socket: Socket, localPort: number): void => {
    // The peer's address before anything else: once the peer has reset the connection the
    // system no longer says who it was, and a request must never be served and recorded without it.
    const remote = socket.remoteAddress;
    if (remote === undefined) {
      stats.peerGone++;
      socket.on('error', ignore);
      socket.destroy();
      return;
    }
    const address = peerAddress(remote);
    if (!admit(address)) {
      stats.refusedAtCap++;
      socket.destroy();
      return;
    }
    stats.accepted++;
    // createServer({ noDelay: true }) already set TCP_NODELAY on the accepted socket.
    const l = new Live(socket, address, arm, stats, limits.maxFragment);
    l.conn = new ServerConnection(l, {
      remoteAddress: address,
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
    socket.on('drain', l.onDrain);
    socket.on('error', ignore);
    socket.on('close', () => {
      forget(l);
      try {
        l.conn.close();
      } catch (e) {
        l.fail(e);
      }
    });
    arm(l);
  };

  // Whatever goes wrong while setting up one connection costs that connection only.
  const guardedOnSocket = (socket: Socket, localPort: number): void => {
    try {
      onSocket(socket, localPort);
    } catch (e) {
      stats.internalErrors++;
      log(`rpc: internal error on a new connection, closed: ${e instanceof Error ? e.message : String(e)}`);
      socket.destroy();
    }
  };

  const forget = (l: Live): void => {
    clearTimer(l);
    if (live.delete(l)) stats.open = live.size;
  };

  const servers: Server[] = [];
  try {
    for (const address of options.listen) {
      let port = 0;
      const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => guardedOnSocket(socket, port));
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
      for (const l of [...live.values()]) {
        l.conn.close();
        l.socket.destroy();
      }
      await Promise.all(closing);
    },
  };
}
