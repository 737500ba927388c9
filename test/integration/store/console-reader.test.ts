/**
 * The console's reads run on their own thread and connection: an activation is answered while a
 * deliberately slow console read is still running, and console windows are those the store gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSignedResponse, encodeActivationRequest, QapStatus } from '../../../shared/protocol/index.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { clientHistory, exportClientView } from '../../../src-main/service/client-views.js';
import { allRows } from '../../../src-main/store/sql-steps.js';
import { activationRequest, startActivatedHost } from '../../support/activated-host.js';
import { activation, cmidOf } from './fixtures.js';

let host: HostRuntime | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function activate(h: HostRuntime): Promise<QapStatus> {
  const reply = await rpcCall(
    { host: '127.0.0.1', port: h.addresses()[0]!.port },
    0,
    encodeActivationRequest(activationRequest('desktop')),
  );
  return decodeSignedResponse(reply).response.status;
}

/** A read that keeps SQLite busy for a while: a recursive count. */
function* slowRead() {
  return yield* allRows<{ n: number }>(
    'WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000000) SELECT COUNT(*) AS n FROM r',
  );
}

describe('the console reader', () => {
  it('answers an activation while a slow console read is in progress', async () => {
    host = await startActivatedHost();
    expect(host.reader.offThread).toBe(true);
    let slowDone = false;
    const slow = host.reader.read('a slow read', slowRead()).then((rows) => {
      slowDone = true;
      return rows;
    });
    // The activation's reply arrives while the read still runs: nothing on this thread waited for it.
    expect(await activate(host)).toBe(QapStatus.Ok);
    expect(slowDone).toBe(false);
    expect((await slow)[0]!.n).toBe(5_000_000);
  });

  it('gives the windows the store gives, including the activation just answered', async () => {
    host = await startActivatedHost();
    await activate(host);
    await activate(host);
    const query = { offset: 0, limit: 10, sort: { column: 'lastSeen', direction: 'desc' }, filter: {} } as const;
    const fromReader = await host.reader.queryClients(query);
    expect(fromReader.total).toBe(2);
    expect(fromReader).toEqual(host.store.queryClients(query));
    const log = await host.reader.queryRequestLog({ offset: 0, limit: 10 });
    expect(log).toEqual(host.store.queryRequestLog({ offset: 0, limit: 10, newestFirst: true }));
  });

  it.runIf(process.platform === 'linux')('reads on a thread that yields the CPU to activations (nice 10)', async () => {
    const niceOfThreads = () =>
      readdirSync('/proc/self/task').map((tid) => {
        // The comm field may hold spaces; the fields after its closing parenthesis do not.
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
    host = await startActivatedHost();
    await host.reader.read('a slow read', slowRead());
    expect(niceOfThreads()).toContain(10);
    // This thread, which answers activations, keeps its own.
    expect(niceOfThreads()[0]).toBe(0);
  });

  it('reports a failed read as a store error and keeps reading', async () => {
    host = await startActivatedHost();
    const bad = host.reader.read('a broken read', allRows('SELECT * FROM no_such_table'));
    await expect(bad).rejects.toMatchObject({ code: expect.stringMatching(/^STORE_/) });
    const ok = await host.reader.queryClients({
      offset: 0,
      limit: 1,
      sort: { column: 'cmid', direction: 'asc' },
      filter: {},
    });
    expect(ok.total).toBe(0);
  });

  it('exports a view and reads a history on the reader thread, in its queue, while activations are answered', async () => {
    host = await startActivatedHost();
    const h = host;
    // More rows than one formatting chunk, so the export's pieces are joined.
    await Promise.all(
      Array.from({ length: 4500 }, (_, n) => h.store.commitActivation(activation({ n, at: Date.now() - n }))),
    );
    const slow = h.reader.read('a slow read', slowRead());
    let exported = false;
    const view = { sort: { column: 'machineName', direction: 'asc' }, filter: {} } as const;
    const exporting = exportClientView(h, 'json', view, Date.now()).then((e) => {
      exported = true;
      return e;
    });
    const history = clientHistory(h, cmidOf(7), 10);
    // Queued behind the slow read on the reader's thread, the export has not run; this thread answers.
    expect(await activate(h)).toBe(QapStatus.Ok);
    expect(exported).toBe(false);
    await slow;
    const e = await exporting;
    const names = (JSON.parse(e.content) as { machineName: string }[]).map((r) => r.machineName);
    expect(e.rows).toBeGreaterThanOrEqual(4500);
    expect(names).toHaveLength(e.rows);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('pc-04499');
    expect((await history).map((r) => r.cmid)).toEqual([cmidOf(7)]);

    const csv = await exportClientView(h, 'csv', view, Date.now());
    expect(csv.content.trimEnd().split('\n')).toHaveLength(csv.rows + 1);
  });
});
