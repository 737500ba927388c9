/**
 * The benchmark's baseline: a bare Node TCP request/response server with the same shape of
 * traffic as QAP (a ~250-byte request, a ~250-byte reply), no DCE/RPC, no signing, no SQLite.
 * Framing is a 2-byte little-endian length prefix. Measured in the same run as the real host, it
 * turns machine noise into a ratio.
 */
import { connect, createServer, type Socket } from 'node:net';

export const BASELINE_REQUEST_BYTES = 250;
export const BASELINE_REPLY_BYTES = 250;

export interface BareTcpServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

function frame(payloadBytes: number, fill: number): Buffer {
  const b = Buffer.alloc(2 + payloadBytes, fill);
  b.writeUInt16LE(payloadBytes, 0);
  return b;
}

/** Answers every length-prefixed request with a fixed 250-byte reply, on as many calls per connection as the client sends. */
export async function startBareTcpServer(host = '127.0.0.1', port = 0): Promise<BareTcpServer> {
  const reply = frame(BASELINE_REPLY_BYTES, 0x52);
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16LE(0)) {
        pending = pending.subarray(2 + pending.readUInt16LE(0));
        socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    host,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A client session for the baseline: `call()` sends one request and resolves with the reply. */
export async function openBareTcpSession(target: { host: string; port: number }): Promise<{
  call(): Promise<Buffer>;
  close(): void;
}> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: target.host, port: target.port, noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
  const request = frame(BASELINE_REQUEST_BYTES, 0x51);
  let pending: Buffer = Buffer.alloc(0);
  let waiter: ((b: Buffer) => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16LE(0)) {
      const n = 2 + pending.readUInt16LE(0);
      const reply = pending.subarray(0, n);
      pending = pending.subarray(n);
      const w = waiter;
      waiter = null;
      w?.(reply);
    }
  });
  return {
    call: () =>
      new Promise<Buffer>((resolve, reject) => {
        if (socket.destroyed) return reject(new Error('baseline connection closed'));
        waiter = resolve;
        socket.write(request);
      }),
    close: () => socket.destroy(),
  };
}
