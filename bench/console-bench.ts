/**
 * The console at 100,000 clients, as an admin opens it: `quorum serve` on a data directory holding
 * 100,000 clients, Debian's Chromium opening the console's Overview and its Clients view. Prints one
 * JSON object with, per view, the first contentful paint and the moment the view's data is on screen
 * (the count, the first client row), each over several cold page loads; and the round trip of one
 * client window (50 rows) through the console's WebSocket, for several sorts and filters.
 * Targets: first paint under 1 s, a client window under 20 ms.
 *
 * Run: node bin/run-ts.js bench/console-bench.ts [-- --clients 100000 --loads 5 --windows 30]
 * (build the renderer first: npx electron-vite build). The database is kept in .bench/ for the next run.
 */
import { chromium } from '@playwright/test';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { BUILTIN_PRODUCTS, DAY_MS, type ClientWindowQuery } from '../shared/domain/index.js';
import { databasePath, openStore } from '../src-main/store/open-store.js';
import { activation } from '../test/integration/store/fixtures.js';
import { activateDataDir } from '../test/support/activated-host.js';
import { serve } from '../test/support/quorum-cli.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100000' },
    loads: { type: 'string', default: '5' },
    windows: { type: 'string', default: '30' },
  },
});
const CLIENTS = Number(values.clients);
const LOADS = Number(values.loads);
const WINDOWS = Number(values.windows);

async function seed(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  activateDataDir(dataDir);
  const store = openStore({ file: databasePath(dataDir) });
  const now = Date.now();
  for (let from = 0; from < CLIENTS; from += 2000) {
    const batch = Array.from({ length: Math.min(2000, CLIENTS - from) }, (_, i) => from + i);
    // Seen over the last 40 days, so "seen within" filters select part of them.
    await Promise.all(
      batch.map((n) =>
        store.commitActivation(activation({ n, at: now - Math.floor(((CLIENTS - n) / CLIENTS) * 40 * DAY_MS) })),
      ),
    );
  }
  store.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { n: s.length, p50: r(percentile(s, 0.5)), p95: r(percentile(s, 0.95)), max: r(s.at(-1)!) };
}

async function pageLoads(consoleUrl: string, hash: string, ready: string) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const fcp: number[] = [];
  const shown: number[] = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      // A new context per load: nothing cached, as on the first visit.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${consoleUrl}${hash}`);
      await page.getByTestId(ready).first().waitFor();
      const times = await page.evaluate(() => ({
        now: performance.now(),
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      }));
      fcp.push(times.fcp);
      shown.push(times.now);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { firstContentfulPaintMs: summary(fcp), dataShownMs: summary(shown) };
}

async function windowRoundTrips(consoleUrl: string) {
  const url = new URL(consoleUrl);
  const token = url.searchParams.get('token') ?? '';
  const ws = new WebSocket(`ws://${url.host}/ws?token=${encodeURIComponent(token)}`, {
    headers: { Origin: url.origin },
  });
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let id = 0;
  const invoke = (query: ClientWindowQuery) =>
    new Promise<number>((ok) => {
      const mine = ++id;
      const start = performance.now();
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(String(data)) as { type: string; id?: number };
        if (msg.type === 'result' && msg.id === mine) {
          ws.off('message', onMessage);
          ok(performance.now() - start);
        }
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'invoke', id: mine, channel: 'clients:window', input: query }));
    });
  const base = { offset: 0, limit: 50 };
  const cases: Record<string, ClientWindowQuery> = {
    'last seen, no filter': { ...base, sort: { column: 'lastSeen', direction: 'desc' }, filter: {} },
    'by name': { ...base, sort: { column: 'machineName', direction: 'asc' }, filter: {} },
    'a product': {
      ...base,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: { productId: BUILTIN_PRODUCTS[0]!.id },
    },
    'VMs seen within 7 days': {
      ...base,
      sort: { column: 'lastSeen', direction: 'desc' },
      filter: { isVm: true, seenWithinMs: 7 * DAY_MS },
    },
    'text "pc-012"': { ...base, sort: { column: 'machineName', direction: 'asc' }, filter: { text: 'pc-012' } },
    'page 100 by offset': { ...base, offset: 5000, sort: { column: 'lastSeen', direction: 'desc' }, filter: {} },
  };
  const out: Record<string, ReturnType<typeof summary>> = {};
  for (const [name, query] of Object.entries(cases)) {
    const samples: number[] = [];
    for (let i = 0; i < WINDOWS; i++) samples.push(await invoke(query));
    out[name] = summary(samples);
  }
  ws.close();
  return out;
}

const dataDir = resolve(import.meta.dirname, '..', '.bench', `console-${CLIENTS}`);
if (!existsSync(databasePath(dataDir))) await seed(dataDir);
const host = await serve(dataDir);
// The host builds its in-memory summaries of the client table in slices after start-up: measure after.
await new Promise((r) => setTimeout(r, 15_000));
try {
  const result = {
    clients: CLIENTS,
    // On a machine busy with other work the figures are not the console's; this says how busy it was.
    loadAverage1m: loadavg()[0],
    overview: await pageLoads(host.consoleUrl, '#/overview', 'count'),
    clientsView: await pageLoads(host.consoleUrl, '#/clients', 'client-row'),
    clientWindowRoundTripMs: await windowRoundTrips(host.consoleUrl),
    targets: { firstPaintMs: 1000, clientWindowMs: 20 },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await host.stop();
}
