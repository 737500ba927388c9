// Slowloris on the console port: connections that send part of a request and then wait. Before,
// 3,000 such connections were held for 88 s. Now one address holds at most its share of
// connections, the rest are closed at once, an admin from another address is still served, and a
// request whose headers do not arrive in time is closed. QUORUM_FULL=1 opens 3,000.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleServer } from '../../src-main/headless/console-server.js';
import { DEFAULT_CONSOLE_LIMITS, type ConsoleLimits } from '../../src-main/headless/console-limits.js';
import type { ConsoleService } from '../../src-main/service/console-service.js';
import type { HostRuntime } from '../../src-main/host/host-runtime.js';
import { startActivatedHost } from '../support/activated-host.js';
import { startConsoleFor } from '../integration/headless/fixtures.js';

const FULL = process.env.QUORUM_FULL === '1';
const ATTACKER = '127.0.0.3';

let host: HostRuntime | undefined;
let service: ConsoleService | undefined;
let server: ConsoleServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  service?.close();
  await host?.close();
  host = service = server = undefined;
});

async function startConsole(limits: Partial<ConsoleLimits> = {}): Promise<number> {
  host = await startActivatedHost();
  ({ service, server } = await startConsoleFor(host, { limits }));
  return server.port;
}

/** Opens `n` connections from `from`, each sending half a request line; resolves once each is connected or closed. */
async function holdOpen(port: number, n: number, from: string): Promise<Socket[]> {
  const opened: Socket[] = [];
  for (let batch = 0; batch < n; batch += 100) {
    await Promise.all(
      Array.from(
        { length: Math.min(100, n - batch) },
        () =>
          new Promise<void>((resolve) => {
            const s = connect({ port, host: '127.0.0.1', localAddress: from }, () => {
              s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
              resolve();
            });
            s.resume(); // reads what the server sends (a 408), so its close is seen here
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            sockets.push(s);
            opened.push(s);
          }),
      ),
    );
  }
  return opened;
}

const stillOpen = (list: Socket[]) => list.filter((s) => !s.destroyed && s.readyState === 'open').length;

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('the console under slowloris', () => {
  it(`one address holds at most ${DEFAULT_CONSOLE_LIMITS.maxConnectionsPerAddress} connections; another address is served`, async () => {
    const port = await startConsole();
    const attack = await holdOpen(port, FULL ? 3_000 : 300, ATTACKER);
    const cap = DEFAULT_CONSOLE_LIMITS.maxConnectionsPerAddress;
    expect(await until(() => stillOpen(attack) <= cap, 3_000)).toBe(true);
    expect(stillOpen(attack)).toBeGreaterThan(0);
    const page = await fetch(`http://127.0.0.1:${port}/livez`);
    expect(page.status).toBe(200);
    const index = await fetch(`http://127.0.0.1:${port}/`);
    expect(index.status).toBe(200);
  });

  it('a request whose headers do not arrive in time is closed, so held connections cost their holder time', async () => {
    const port = await startConsole({ headersTimeoutMs: 300, idleTimeoutMs: 600 });
    const attack = await holdOpen(port, 40, ATTACKER);
    expect(stillOpen(attack)).toBe(40);
    expect(await until(() => stillOpen(attack) === 0, 4_000)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
  });

  it(`a cap in all (default ${DEFAULT_CONSOLE_LIMITS.maxConnections}), whatever the number of addresses`, async () => {
    const port = await startConsole({ maxConnections: 50, maxConnectionsPerAddress: 30 });
    const attack = [...(await holdOpen(port, 40, '127.0.0.4')), ...(await holdOpen(port, 40, '127.0.0.5'))];
    expect(await until(() => stillOpen(attack) <= 50, 3_000)).toBe(true);
  });
});
