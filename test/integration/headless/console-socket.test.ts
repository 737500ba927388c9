// What the console's WebSocket answers to each kind of wrong peer, over a real host and real
// sockets: a specific reason for each refused handshake, a typed error for each message it
// cannot run, and limits on open sessions and on replies a peer leaves unread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { startConsoleServer, type ConsoleServer } from '../../../src-main/headless/console-server.js';
import { startActivatedHost } from '../../support/activated-host.js';
import { rendererDir } from './fixtures.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
const MAX_SESSIONS = 3;
let host: HostRuntime;
let service: ConsoleService;
let server: ConsoleServer;
let origin: string;
const logged: string[] = [];

beforeAll(async () => {
  host = await startActivatedHost();
  service = createConsoleService(host);
  const staticDir = rendererDir();
  server = await startConsoleServer({
    service: service.contract,
    events: service.events,
    staticDir,
    token: TOKEN,
    log: (line) => logged.push(line),
    maxSessions: MAX_SESSIONS,
    maxBufferedBytes: 64 * 1024,
  });
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  service.close();
  await host.close();
});

type Opened = { ws: WebSocket } | { status: number; body: string };

function open(path: string, headers: Record<string, string> = { Origin: origin }): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

async function session(): Promise<WebSocket> {
  const opened = await open(`/ws?token=${TOKEN}`);
  if (!('ws' in opened)) throw new Error(`refused: ${opened.status} ${opened.body}`);
  return opened.ws;
}

/** Closes and waits until the host has let the session go, so the next test starts under the limit. */
async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map((ws) =>
      ws.readyState === ws.CLOSED ? undefined : new Promise((resolve) => (ws.once('close', resolve), ws.close())),
    ),
  );
}

/** Sends one text frame and returns the first reply that is not a pushed event. */
function reply(ws: WebSocket, text: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      const m = JSON.parse(String(d)) as Record<string, unknown>;
      if (m.type === 'event') return;
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

describe('console WebSocket refusals', () => {
  it('says why a handshake is refused', async () => {
    expect(await open('/ws')).toEqual({ status: 401, body: expect.stringContaining('token is missing') });
    expect(await open('/ws?token=nope')).toEqual({ status: 401, body: expect.stringContaining('token is wrong') });
    expect(await open(`/ws?token=${TOKEN}`, { Origin: 'http://evil.example' })).toEqual({
      status: 403,
      body: expect.stringContaining('Origin differs'),
    });
    expect(await open(`/elsewhere?token=${TOKEN}`)).toEqual({ status: 404, body: expect.stringContaining('/ws') });
  });

  it('answers the same question over plain HTTP, for a page that cannot read a refused handshake', async () => {
    const missing = await fetch(`${origin}/ws`);
    expect(missing.status).toBe(401);
    expect(await missing.text()).toContain('token is missing');
    const wrong = await fetch(`${origin}/ws?token=nope`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('token is wrong');
    expect((await fetch(`${origin}/ws?token=${TOKEN}`)).status).toBe(426);
  });

  it('refuses a session past the limit with 503, and takes one again once a session closes', async () => {
    const held = await Promise.all(Array.from({ length: MAX_SESSIONS }, () => session()));
    expect(await open(`/ws?token=${TOKEN}`)).toEqual({ status: 503, body: expect.stringContaining('open sessions') });
    await closeAll(held.slice(0, 1));
    const again = await session();
    await closeAll([again, ...held.slice(1)]);
  });
});

describe('console WebSocket messages', () => {
  it.each([
    ['malformed JSON', '{bad', 'WS_NOT_JSON'],
    ['a number', '5', 'WS_BAD_MESSAGE'],
    ['null', 'null', 'WS_BAD_MESSAGE'],
    ['a string', '"x"', 'WS_BAD_MESSAGE'],
    ['an array', '[]', 'WS_BAD_MESSAGE'],
    ['an id that is not a whole number', '{"type":"invoke","id":1e400,"channel":"host:status"}', 'WS_BAD_MESSAGE'],
    ['a text id', '{"type":"invoke","id":"1","channel":"host:status"}', 'WS_BAD_MESSAGE'],
  ])('answers %s with a typed error and keeps the session', async (_what, text, code) => {
    const ws = await session();
    expect(await reply(ws, text)).toMatchObject({ type: 'error', code, message: expect.any(String) });
    const ok = await reply(ws, JSON.stringify({ type: 'invoke', id: 7, channel: 'host:events', input: {} }));
    expect(ok).toMatchObject({ type: 'result', id: 7, outcome: { ok: true } });
    await closeAll([ws]);
  });

  it('drops a session that never reads its replies instead of queueing them without end', async () => {
    const ws = await session();
    const closed = new Promise((resolve) => ws.once('close', resolve));
    // Stop reading: the replies pile up in the host, past maxBufferedBytes.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const ask = JSON.stringify({ type: 'invoke', id: 1, channel: 'host:status', input: {} });
    for (let i = 0; i < 20_000 && ws.readyState === ws.OPEN; i++) {
      ws.send(ask);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
      if (logged.some((l) => l.includes('unread'))) break;
    }
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    expect(
      logged.some((l) => l.includes('console: dropped a WebSocket that left over 65536 bytes of replies unread')),
    ).toBe(true);
  });
});
