// `quorum serve` against peers that misbehave on the console port: resets in the middle of a
// refused handshake, an oversize message, garbage. The process must keep serving and keep the
// token out of its log. Before the fix, either of the first two stopped the whole host.
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { activatedDataDir, serve, type ServedHost } from '../../support/quorum-cli.js';

let served: ServedHost;
let base: string;
let token: string;

beforeAll(async () => {
  served = await serve(activatedDataDir());
  const url = new URL(served.consoleUrl);
  base = url.origin;
  token = url.searchParams.get('token')!;
}, 60_000);

afterAll(async () => {
  await served.stop();
});

function openSession(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`, { headers: { Origin: base } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** One invoke and its result: proves the process still runs and answers. */
async function hostAnswers(): Promise<void> {
  const ws = await openSession();
  const reply = await new Promise<{ type: string; outcome: { ok: boolean } }>((resolve) => {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; outcome: { ok: boolean } };
      if (m.type === 'result') resolve(m);
    });
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'host:status', input: {} }));
  });
  ws.close();
  expect(reply.outcome.ok).toBe(true);
  expect((await fetch(`${base}/livez`)).status).toBe(200);
  expect(served.process.exitCode).toBeNull();
}

describe('quorum serve with hostile console peers', () => {
  it('survives peers that reset the connection while their handshake is being refused', async () => {
    const { port, hostname } = new URL(base);
    const resets = Array.from(
      { length: 200 },
      () =>
        new Promise<void>((resolve) => {
          const s = tcpConnect(Number(port), hostname, () => {
            s.write(
              `GET /ws?token=wrong HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
            );
            s.resetAndDestroy();
          });
          s.on('error', () => {});
          s.on('close', () => resolve());
        }),
    );
    await Promise.all(resets);
    await hostAnswers();
  });

  it('closes a session that sends an oversize message with 1009, and keeps serving', async () => {
    const ws = await openSession();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => {});
    ws.send('x'.repeat(1024 * 1024));
    expect(await closed).toBe(1009);
    await hostAnswers();
    expect(served.output()).toContain('console: closed a WebSocket: Max payload size exceeded');
  });

  it('prints the token once, on the start line, whatever peers send', async () => {
    await fetch(`${base}/?token=${token}`);
    await hostAnswers();
    expect(served.output().split(token).length - 1).toBe(1);
    expect(served.output()).not.toMatch(/\n\s+at /);
  });
});
