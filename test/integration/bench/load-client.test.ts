// Both bench load clients (the C one when cc exists, and the Node fallback) speak real QAP: every
// call is answered, and with new clients each call carries a CMID of its own.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFloorServer, type FloorServer } from '../../../bench/floor-server.js';
import { loadClient, runLoad, templatesFor } from '../../../bench/load-client.js';
import { hostIdentityFromSeed } from '../../../src-main/host/identity.js';
import { tempDataDir } from '../../support/activated-host.js';

const dir = tempDataDir('quorum-load-client-');
const file = join(dir, 'floor.sqlite');
let server: FloorServer;

beforeAll(async () => {
  server = await startFloorServer({
    identity: hostIdentityFromSeed(new Uint8Array(randomBytes(32))),
    durableFile: file,
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function rows(): { clients: number; requests: number } {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) AS clients, coalesce(sum(requests), 0) AS requests FROM activations').get() as {
      clients: number;
      requests: number;
    };
  } finally {
    db.close();
  }
}

// The C client only where the bench would use it (a C compiler present); the Node client always.
const kinds = loadClient().kind === 'c' ? (['c', 'node'] as const) : (['node'] as const);

describe.each(kinds)('the bench load client (%s)', (kind) => {
  it('has every call answered, on new and on reused connections, with a new CMID per call for new clients', async () => {
    const templates = templatesFor('test', 5);
    const base = { proto: 'qap' as const, port: server.port, seconds: 8, max: 12 };
    const before = rows();
    const fresh = await runLoad({ ...base, newConnection: false, newClients: true, concurrency: 2 }, templates, kind);
    expect(fresh).toMatchObject({ count: 12, errors: 0 });
    const renewals = await runLoad({ ...base, newConnection: true, concurrency: 3 }, templates, kind);
    expect(renewals).toMatchObject({ count: 12, errors: 0 });
    const after = rows();
    // 12 new clients, then 12 calls from at most the 5 known ones.
    expect(after.requests - before.requests).toBe(24);
    expect(after.clients - before.clients).toBeGreaterThanOrEqual(12);
    expect(after.clients - before.clients).toBeLessThanOrEqual(17);
  });
});
