/**
 * The headless adapter of the console contract: HTTP serves the built renderer, and one WebSocket
 * per page carries invokes (validated by the shared dispatcher) and pushed events. Binds loopback
 * by default; the WebSocket needs the data directory's token and the server's own Origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { ConsoleEvents } from '../service/console-events.js';
import { readStatic } from './static-files.js';
import { handleUpgrade, MAX_MESSAGE_BYTES, tokenProblem, type SocketOptions } from './console-socket.js';

export interface ConsoleServerOptions {
  service: ConsoleContract;
  events: ConsoleEvents;
  /** Directory of the built renderer (index.html and assets). */
  staticDir: string;
  host?: string;
  port?: number;
  token: string;
  /** Answers /readyz: true once the activation listener is up. */
  ready?: () => boolean;
  log?: (line: string) => void;
  /** Limits of one session's unread replies and of open sessions (defaults in console-socket.ts). */
  maxBufferedBytes?: number;
  maxSessions?: number;
}

export interface ConsoleServer {
  /** URL a person opens, token included. */
  url: string;
  port: number;
  close(): Promise<void>;
}

function securityHeaders(res: ServerResponse, host: string): void {
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://${host}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const bindHost = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});

  const http = createServer((req, res) => {
    void serveHttp(req, res);
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? bindHost;
    securityHeaders(res, host);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/readyz') {
      const ready = options.ready ? options.ready() : true;
      res.writeHead(ready ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ready ? 'ready\n' : 'starting\n');
      return;
    }
    if (path === '/ws') {
      const problem = tokenProblem(
        options.token,
        new URL(req.url ?? '/', 'http://placeholder').searchParams.get('token'),
      );
      res
        .writeHead(problem ? 401 : 426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' })
        .end(`${problem ?? 'The token is right; open /ws as a WebSocket.'}\n`);
      return;
    }
    const file = await readStatic(options.staticDir, path);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type }).end(req.method === 'HEAD' ? undefined : file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const socketOptions: SocketOptions = {
    service: options.service,
    events: options.events,
    token: options.token,
    log,
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
  };
  http.on('upgrade', (req, socket, head) => handleUpgrade(wss, socketOptions, req, socket, head));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, bindHost, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost;
  return {
    url: `http://${urlHost}:${port}/?token=${options.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
