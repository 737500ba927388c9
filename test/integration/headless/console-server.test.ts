// The headless console over a real host: a real activation over TCP reaches the console as a pushed
// event and a row in the windowed query; the WebSocket refuses a wrong token or a foreign origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeActivationRequest, QAP_OPNUM_ACTIVATE } from '../../../shared/protocol/index.js';
import type { Wrapped } from '../../../shared/ipc/views.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { createConsoleService, type ConsoleService } from '../../../src-main/service/console-service.js';
import { startConsoleServer, type ConsoleServer } from '../../../src-main/headless/console-server.js';
import { activationRequest, startActivatedHost } from '../../support/activated-host.js';
import { rendererDir } from './fixtures.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
let host: HostRuntime;
let service: ConsoleService;
let server: ConsoleServer;
let origin: string;

beforeAll(async () => {
  host = await startActivatedHost();
  service = createConsoleService(host);
  const staticDir = rendererDir();
  server = await startConsoleServer({ service: service.contract, events: service.events, staticDir, token: TOKEN });
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  service.close();
  await host.close();
});

function connect(token: string, originHeader: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`, { headers: { Origin: originHeader } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

class Session {
  #nextId = 1;
  readonly #pending = new Map<number, (w: Wrapped<unknown>) => void>();
  readonly events: { channel: string; payload: unknown }[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as {
        type: string;
        id: number;
        outcome: Wrapped<unknown>;
        channel: string;
        payload: unknown;
      };
      if (msg.type === 'result') this.#pending.get(msg.id)?.(msg.outcome);
      if (msg.type === 'event') this.events.push({ channel: msg.channel, payload: msg.payload });
    });
  }
  invoke(channel: string, input: unknown): Promise<Wrapped<unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
    });
  }
  async waitForEvent(channel: string): Promise<unknown> {
    for (let i = 0; i < 200; i++) {
      const hit = this.events.find((e) => e.channel === channel);
      if (hit) return hit.payload;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no ${channel} event`);
  }
}

describe('headless console', () => {
  it('refuses a WebSocket without the right token', async () => {
    await expect(connect('wrong', origin)).rejects.toThrow('HTTP 401');
  });

  it('refuses a WebSocket from another origin', async () => {
    await expect(connect(TOKEN, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('serves the console files with a strict CSP, and nothing outside them', async () => {
    const index = await fetch(`${origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await index.text()).toContain('<title>Quorum</title>');
    expect((await fetch(`${origin}/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${origin}/livez`)).status).toBe(200);
  });

  it('pushes a change and shows the client after a real activation over TCP', async () => {
    const session = new Session(await connect(TOKEN, origin));
    const status = await session.invoke('host:status', {});
    expect(status).toMatchObject({ ok: true, value: { serving: true } });

    const request = activationRequest('desktop', { machineName: 'reception-pc' });
    const [address] = host.addresses();
    await rpcCall({ host: '127.0.0.1', port: address!.port }, QAP_OPNUM_ACTIVATE, encodeActivationRequest(request));

    expect(await session.waitForEvent('clients:changed')).toMatchObject({ changed: 1 });
    const page = await session.invoke('clients:window', {
      offset: 0,
      limit: 10,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: { text: 'reception' },
    });
    expect(page).toMatchObject({
      ok: true,
      value: {
        total: 1,
        rows: [{ machineName: 'reception-pc', cmid: request.cmid, lastResult: 'count-insufficient' }],
      },
    });
    const after = (await session.waitForEvent('host:status-changed')) as { applications: { count: number }[] };
    expect(after.applications.some((a) => a.count === 1)).toBe(true);
    session.ws.close();
  });

  it('answers an invalid payload with a typed error and keeps the socket open', async () => {
    const session = new Session(await connect(TOKEN, origin));
    const bad = await session.invoke('clients:window', { offset: -5 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
    expect(await session.invoke('host:events', {})).toMatchObject({ ok: true });
    session.ws.close();
  });
});
