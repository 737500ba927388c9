// The bench's floors must speak real QAP: a real rpcCall gets a signed reply that verifies, and the
// durable floor has committed the activation before it replied.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFloorServer, type FloorServer } from '../../../bench/floor-server.js';
import { QapStatus, decodeSignedResponse, encodeActivationRequest } from '../../../shared/protocol/index.js';
import { hostIdentityFromSeed, verifyHostSignature } from '../../../src-main/host/identity.js';
import { openRpcSession, rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { activationRequest, tempDataDir } from '../../support/activated-host.js';

const identity = hostIdentityFromSeed(new Uint8Array(randomBytes(32)));
let server: FloorServer | null = null;
let dir: string | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('bench floor servers', () => {
  it('the protocol floor answers rpcCall with a signed grant for the request it was sent', async () => {
    server = await startFloorServer({ identity });
    const req = activationRequest();
    const reply = decodeSignedResponse(
      await rpcCall({ host: '127.0.0.1', port: server.port }, 0, encodeActivationRequest(req)),
    );
    expect(verifyHostSignature(identity.publicKey, reply.signedBytes, reply.signature)).toBe(true);
    expect(reply.response).toMatchObject({ status: QapStatus.Ok, granted: true, cmid: req.cmid });
    expect(reply.response.nonce).toEqual(req.nonce);
  });

  it('the durable floor commits each activation before it replies, on a reused connection too', async () => {
    dir = tempDataDir('quorum-floor-');
    const file = join(dir, 'floor.sqlite');
    server = await startFloorServer({ identity, durableFile: file });
    const session = await openRpcSession({ host: '127.0.0.1', port: server.port });
    const req = activationRequest();
    try {
      for (let i = 0; i < 3; i++) {
        const reply = decodeSignedResponse(await session.call(0, encodeActivationRequest(req)));
        expect(reply.response.cmid).toBe(req.cmid);
      }
    } finally {
      session.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const row = db.prepare('SELECT machine_name, requests FROM activations WHERE cmid = ?').get(req.cmid);
      expect(row).toEqual({ machine_name: req.machineName, requests: 3 });
    } finally {
      db.close();
    }
  });
});
