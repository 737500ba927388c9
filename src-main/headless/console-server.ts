/**
 * The headless adapter of the console contract: HTTP serves the built renderer, and one WebSocket
 * per page carries invokes (validated by the shared dispatcher) and pushed events. Binds loopback
 * by default; the WebSocket needs the data directory's token and the server's own Origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { ConsoleEvents } from '../service/console-events.js';
import { readStatic } from './static-files.js';
import { handleUpgrade, MAX_MESSAGE_BYTES, requestTarget, tokenProblem, type SocketOptions } from './console-socket.js';
import { FaultGuard } from '../host/fault-guard.js';
import { createHostCheck } from './console-host-check.js';
import { DEFAULT_CONSOLE_LIMITS, limitConnections, serverTimeouts, type ConsoleLimits } from './console-limits.js';

export interface ConsoleServerOptions {
  service: ConsoleContract;
  events: ConsoleEvents;
  /** Directory of the built renderer (index.html and assets). */
  staticDir: string;
  host?: string;
  port?: number;
  token: string;
  /** Answers /readyz: why the host does not activate clients now, or null when it does. */
  notReady?: () => string | null;
  log?: (line: string) => void;
  /** Limits of one session's unread replies and of open sessions (defaults in console-socket.ts). */
  maxBufferedBytes?: number;
  maxSessions?: number;
  /** Where faults of the handlers are reported (the host's guard); a guard of its own by default. */
  faults?: FaultGuard;
  /** Host names besides IP literals, localhost and this machine's name that the console answers to. */
  names?: readonly string[];
  /** Connection caps and deadlines (console-limits.ts). */
  limits?: Partial<ConsoleLimits>;
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

  const faults = options.faults ?? new FaultGuard(log);
  const limits = { ...DEFAULT_CONSOLE_LIMITS, ...options.limits };
  const hostCheck = createHostCheck(bindHost, options.names);
  const http = createServer(serverTimeouts(limits));
  limitConnections(http, limits, log);
  http.on(
    'request',
    faults.wrap('the console HTTP handler', serveHttp, (_e, _req, res) => {
      try {
        if (!res.headersSent) {
          res
            .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
            .end('The console hit an internal fault; it is in the host log. The host keeps serving.\n');
          return;
        }
      } catch {
        // Cannot even answer: the connection is closed below, the host goes on.
      }
      res.destroy();
    }),
  );

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const checked = hostCheck.check(req.headers.host);
    if (!checked.ok) {
      res.setHeader('Cache-Control', 'no-store');
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${checked.reason}\n`);
      return;
    }
    securityHeaders(res, checked.host);
    const target = requestTarget(req.url);
    if (!target) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The request path cannot be read.\n');
      return;
    }
    const path = target.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
      return;
    }
    if (path === '/readyz') {
      const why = options.notReady?.() ?? null;
      res
        .writeHead(why === null ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(why === null ? 'ready\n' : `not ready: ${why}\n`);
      return;
    }
    if (path === '/ws') {
      const problem = tokenProblem(options.token, target.searchParams.get('token'));
      res
        .writeHead(problem ? 401 : 426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' })
        .end(`${problem ?? 'The token is right; open /ws as a WebSocket.'}\n`);
      return;
    }
    const file = await readStatic(options.staticDir, (req.url ?? '/').split('?')[0] ?? '/');
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
    faults,
    hostCheck,
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
  };
  http.on(
    'upgrade',
    faults.wrap(
      'the console upgrade handler',
      (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(wss, socketOptions, req, socket, head),
      (_e, _req, socket) => socket.destroy(),
    ),
  );

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
