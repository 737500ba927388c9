/**
 * A DNS proxy on 127.0.0.1 in front of a real server that loses what a test tells it to: UDP
 * requests before they reach the server, or the server's UDP answers after it acted on them, or
 * all UDP. TCP is passed through (or refused). It counts what it saw, so a test can tell which
 * way a message went.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, connect, type Server, type Socket as TcpSocket } from 'node:net';

export interface LossyProxyOptions {
  /** Requests dropped before they reach the server, the first N. */
  dropRequests?: number;
  /** Answers the server sent that are dropped, the first N (the server did act on those requests). */
  dropAnswers?: number;
  /** Every UDP request is swallowed. */
  blackholeUdp?: boolean;
  /** TCP connections are refused (nothing listens). */
  noTcp?: boolean;
}

export interface LossyProxy {
  /** "127.0.0.1:PORT", for --server. */
  readonly server: string;
  readonly port: number;
  readonly seen: { udpRequests: number; droppedRequests: number; droppedAnswers: number; tcpConnections: number };
  close(): Promise<void>;
}

async function bindUdp(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return socket;
}

/** A UDP socket and, unless noTcp, a TCP listener on the same port. */
async function listenBoth(noTcp: boolean): Promise<{ udp: Socket; tcp: Server | null }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = await bindUdp();
    if (noTcp) return { udp, tcp: null };
    const tcp = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(udp.address().port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return { udp, tcp };
    udp.close();
  }
  throw new Error('no port free for UDP and TCP on 127.0.0.1');
}

export async function startLossyProxy(
  target: { host: string; port: number },
  o: LossyProxyOptions = {},
): Promise<LossyProxy> {
  const { udp, tcp } = await listenBoth(o.noTcp === true);
  const seen = { udpRequests: 0, droppedRequests: 0, droppedAnswers: 0, tcpConnections: 0 };
  const upstreams: Socket[] = [];
  const streams = new Set<TcpSocket>();
  udp.on('message', (request, from) => {
    seen.udpRequests++;
    if (o.blackholeUdp || seen.droppedRequests < (o.dropRequests ?? 0)) {
      seen.droppedRequests++;
      return;
    }
    // One upstream socket per request, so each answer goes back to whoever asked.
    const upstream = createSocket('udp4');
    upstreams.push(upstream);
    upstream.on('message', (answer) => {
      upstream.close();
      if (seen.droppedAnswers < (o.dropAnswers ?? 0)) {
        seen.droppedAnswers++;
        return;
      }
      udp.send(answer, from.port, from.address);
    });
    upstream.send(request, target.port, target.host);
  });
  tcp?.on('connection', (client) => {
    seen.tcpConnections++;
    const upstream = connect({ host: target.host, port: target.port });
    streams.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  const port = udp.address().port;
  return {
    server: `127.0.0.1:${port}`,
    port,
    seen,
    close: async () => {
      for (const u of upstreams) {
        try {
          u.close();
        } catch {
          // Closed when its answer came.
        }
      }
      udp.close();
      for (const s of streams) s.destroy();
      if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
