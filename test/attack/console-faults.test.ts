// `quorum serve` against what ended the whole process before: a WebSocket upgrade whose path does
// not parse (`//`, `http://[`; any web page can send one with `new WebSocket('ws://127.0.0.1:8690//')`),
// and a bug in one of the console's own handlers (injected by a preload, so the real server runs).
// After each, the host must still grant an activation and answer the console.
import { connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeSignedResponse, encodeActivationRequest, QapStatus } from '../../shared/protocol/index.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { activationRequest } from '../support/activated-host.js';
import { activatedDataDir, serve, type ServedHost } from '../support/quorum-cli.js';

const INJECTOR = fileURLToPath(new URL('./inject-console-fault.mjs', import.meta.url));

let served: ServedHost;
let base: string;
let token: string;

beforeAll(async () => {
  served = await serve(activatedDataDir(), { nodeArgs: ['--import', INJECTOR] });
  const url = new URL(served.consoleUrl);
  base = url.origin;
  token = url.searchParams.get('token')!;
}, 60_000);

afterAll(async () => {
  await served?.stop();
});

/** Sends `head` as raw bytes to the console port; resolves with what came back before the close. */
function raw(head: string): Promise<string> {
  const { port, hostname } = new URL(base);
  return new Promise((resolve) => {
    let text = '';
    const s = tcpConnect(Number(port), hostname, () => s.write(head));
    s.setTimeout(5_000, () => s.destroy());
    s.on('data', (d: Buffer) => (text += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => resolve(text));
  });
}

function upgradeTo(path: string, host = new URL(base).host): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
  );
}

function openSession(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`, { headers: { Origin: base } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function invoke(ws: WebSocket, id: number): void {
  ws.send(JSON.stringify({ type: 'invoke', id, channel: 'host:status', input: {} }));
}

function nextResult(ws: WebSocket): Promise<{ id: number; outcome: { ok: boolean } }> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      const m = JSON.parse(String(d)) as { type: string; id: number; outcome: { ok: boolean } };
      if (m.type !== 'result') return;
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
  });
}

/** The process still runs, grants an activation, and its console answers. */
async function hostServes(): Promise<void> {
  expect(served.process.exitCode).toBeNull();
  const reply = await rpcCall(
    { host: '127.0.0.1', port: served.port },
    0,
    encodeActivationRequest(activationRequest()),
  );
  expect(decodeSignedResponse(reply).response.status).toBe(QapStatus.Ok);
  const ws = await openSession();
  const result = nextResult(ws);
  invoke(ws, 1);
  expect((await result).outcome.ok).toBe(true);
  ws.close();
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
}

describe('quorum serve: no request ends the process', () => {
  it('refuses WebSocket upgrades to paths that are not /ws or do not parse, with a reason, and keeps serving', async () => {
    for (const path of ['//', 'http://[', '//ws?token=x', '*', 'ws', '/%zz', 'http://127.0.0.1/ws']) {
      const answer = await raw(upgradeTo(path));
      expect(answer, path).toMatch(/^HTTP\/1\.1 40[04] /);
    }
    await hostServes();
  });

  it('survives an exception thrown in the console HTTP handler: 500 for that request, logged and counted', async () => {
    const r = await fetch(`${base}/__fault`);
    expect(r.status).toBe(500);
    expect(await r.text()).toContain('internal fault');
    await hostServes();
    expect(served.output()).toMatch(/fault in the console HTTP handler \(1 so far; the host keeps serving\): injected/);
  });

  it('survives an exception thrown in a WebSocket message handler; the same session answers the next invoke', async () => {
    const ws = await openSession();
    invoke(ws, 4242);
    const result = nextResult(ws);
    invoke(ws, 7);
    expect(await result).toMatchObject({ id: 7, outcome: { ok: true } });
    ws.close();
    await hostServes();
    expect(served.output()).toMatch(/fault in a console WebSocket message \(\d+ so far[^)]*\): injected/);
  });
});

describe('quorum serve: the process-level policy', () => {
  it('keeps serving after an uncaught exception and an unhandled rejection, logged as faults of the process', async () => {
    await fetch(`${base}/__uncaught`);
    await hostServes();
    const out = served.output();
    expect(out).toMatch(
      /fault in the process \(uncaught exception\) \(\d+ so far; the host keeps serving\): injected uncaught exception/,
    );
    expect(out).toMatch(
      /fault in the process \(unhandled promise rejection\) \(\d+ so far[^)]*\): injected unhandled rejection/,
    );
  });
});

describe('quorum serve: the console answers only names that cannot be rebound (DNS rebinding)', () => {
  it('refuses another Host with 421 and a reason, for pages and for the WebSocket, and echoes no header unescaped', async () => {
    const port = new URL(base).port;
    const page = await raw(`GET / HTTP/1.1\r\nHost: rebind.example:${port}\r\nConnection: close\r\n\r\n`);
    expect(page).toMatch(/^HTTP\/1\.1 421 /);
    expect(page).toContain(`not to "rebind.example:${port}"`);
    expect(page).not.toContain('Content-Security-Policy');
    const ws = await raw(
      upgradeTo(`/ws?token=${token}`, `rebind.example:${port}`).replace(
        '\r\n\r\n',
        `\r\nOrigin: http://rebind.example:${port}\r\n\r\n`,
      ),
    );
    expect(ws).toMatch(/^HTTP\/1\.1 421 /);
    // A header that would end the CSP's directive and add its own is not a host name at all.
    const injected = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1; script-src *\r\nConnection: close\r\n\r\n`);
    expect(injected).toMatch(/^HTTP\/1\.1 421 /);
    expect(injected).not.toMatch(/Content-Security-Policy:.*script-src \*/);
    const local = await raw(`GET /livez HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
    expect(local).toMatch(/^HTTP\/1\.1 200 /);
    await hostServes();
  });
});
