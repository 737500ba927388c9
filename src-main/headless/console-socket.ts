/**
 * The console's WebSocket side: who may open one (path, token, origin), and what one session may
 * send. Anyone who can reach the console port can reach this code before any check, so nothing a
 * peer does (reset mid-handshake, oversize frames, garbage, not reading replies) may throw out of
 * it: each refusal is answered with a specific reason, and the host keeps running.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { EVENT_CHANNELS, type ConsoleContract } from '../../shared/ipc/contract.js';
import { dispatchInvoke } from '../service/dispatch.js';
import type { ConsoleEvents } from '../service/console-events.js';
import { tokensMatch } from './console-token.js';
import type { FaultGuard } from '../host/fault-guard.js';
import { printable, type HostCheck } from './console-host-check.js';

export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Replies queued for a peer that does not read them; past this the session is dropped. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Open sessions at once; a console page holds one, so this is many tabs, not a limit anyone meets. */
export const DEFAULT_MAX_SESSIONS = 64;

export interface SocketOptions {
  service: ConsoleContract;
  events: ConsoleEvents;
  token: string;
  log: (line: string) => void;
  /** Where a fault in a session's message handler is reported. */
  faults: FaultGuard;
  hostCheck: HostCheck;
  maxBufferedBytes?: number;
  maxSessions?: number;
}

/** What the socket answers to a message it cannot run; `code` is stable, `message` says what to send. */
export interface SocketError {
  type: 'error';
  code: 'WS_NOT_JSON' | 'WS_BAD_MESSAGE';
  message: string;
}

function refuse(socket: Duplex, status: string, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/**
 * Why `given` does not open the console, or null when it does. A browser cannot read the status of
 * a refused WebSocket, so the page asks the same question over plain HTTP (GET /ws) to say why.
 */
export function tokenProblem(expected: string, given: string | null): string | null {
  if (tokensMatch(expected, given)) return null;
  return given
    ? 'The console token is wrong. Open the console URL printed by "quorum serve"; the token is in the console-token file of the data directory.'
    : 'The console token is missing. Open the console URL printed by "quorum serve" (it ends in ?token=...).';
}

/**
 * The path and query of a request target, or null when it is not an origin-form path that parses
 * (`//`, `http://[`, `*`): `new URL(target, base)` throws on those, and reads `//x` as a host.
 */
export function requestTarget(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(`http://placeholder${target}`);
  } catch {
    return null;
  }
}

/** Checks an upgrade request and either refuses it with a reason or hands it to `wss`. */
export function handleUpgrade(
  wss: WebSocketServer,
  options: SocketOptions,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  // Node takes its own error handler off an upgraded socket; without one, a peer that resets the
  // connection before we answer raises an unhandled 'error' and stops the whole host.
  socket.on('error', () => socket.destroy());
  const checked = options.hostCheck.check(req.headers.host);
  if (!checked.ok) {
    options.log(`console: refused a WebSocket for the Host ${printable(req.headers.host ?? '')}`);
    refuse(socket, '421 Misdirected Request', checked.reason);
    return;
  }
  const url = requestTarget(req.url);
  if (!url) {
    refuse(socket, '400 Bad Request', 'The request path cannot be read; the console WebSocket is at /ws.');
    return;
  }
  if (url.pathname !== '/ws') {
    refuse(socket, '404 Not Found', 'Not found: the console WebSocket is at /ws.');
    return;
  }
  const problem = tokenProblem(options.token, url.searchParams.get('token'));
  if (problem) {
    refuse(socket, '401 Unauthorized', problem);
    return;
  }
  const origin = req.headers.origin;
  if (origin !== `http://${req.headers.host ?? ''}`) {
    options.log(`console: refused a WebSocket from origin ${JSON.stringify(origin ?? '(none)').slice(0, 200)}`);
    refuse(socket, '403 Forbidden', 'Only pages served by this console may open its WebSocket (the Origin differs).');
    return;
  }
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  if (wss.clients.size >= maxSessions) {
    options.log(`console: refused a WebSocket: ${maxSessions} sessions are open`);
    refuse(socket, '503 Service Unavailable', `The console already has ${maxSessions} open sessions; close some tabs.`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => attachSession(ws, options));
}

function parseInvoke(data: string): { id: number; channel: unknown; input: unknown } | SocketError {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return { type: 'error', code: 'WS_NOT_JSON', message: 'Messages must be JSON text.' };
  }
  const shape = 'Expected {"type":"invoke","id":<whole number>,"channel":<name>,"input":<object>}.';
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { type: 'error', code: 'WS_BAD_MESSAGE', message: `A message must be a JSON object. ${shape}` };
  }
  const { type, id, channel, input } = message as Record<string, unknown>;
  if (type !== 'invoke' || typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { type: 'error', code: 'WS_BAD_MESSAGE', message: shape };
  }
  return { id, channel, input };
}

function attachSession(ws: WebSocket, options: SocketOptions): void {
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const send = (value: unknown): void => {
    if (ws.readyState !== ws.OPEN) return;
    // A peer that sends requests but never reads the replies would otherwise grow this process's memory without end.
    if (ws.bufferedAmount > maxBuffered) {
      options.log(`console: dropped a WebSocket that left over ${maxBuffered} bytes of replies unread`);
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(value));
  };
  const unsubscribe = EVENT_CHANNELS.map((channel) =>
    options.events.on(channel, (payload) => send({ type: 'event', channel, payload })),
  );
  ws.on('close', () => unsubscribe.forEach((u) => u()));
  // ws closes the session itself (1009 for an oversize message, 1002 for a protocol error); without
  // a listener the 'error' it emits would stop the host.
  ws.on('error', (e) => options.log(`console: closed a WebSocket: ${e.message}`));
  ws.on(
    'message',
    options.faults.wrap('a console WebSocket message', async (data: RawData) => {
      const parsed = parseInvoke(data.toString());
      if ('type' in parsed) {
        send(parsed);
        return;
      }
      const outcome = await dispatchInvoke(options.service, parsed.channel, parsed.input);
      send({ type: 'result', id: parsed.id, outcome });
    }),
  );
}
