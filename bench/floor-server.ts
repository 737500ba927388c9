/**
 * The benchmark's floors: the least a Node server must do to answer QAP, built from the project's
 * own codec (shared/protocol) and the host's signer, so Quorum is compared with what is reachable
 * rather than with a bare echo. The protocol floor binds and answers every activation with a signed
 * grant, nothing else (no engine, no admission, no limits, no statistics). The durable floor also
 * commits one row per activation to SQLite at Quorum's durability setting (WAL, synchronous=NORMAL,
 * as src-main/store/open-store.ts) before it replies. Neither is a host: they answer any request.
 */
import Database from 'better-sqlite3';
import { createServer, type Socket } from 'node:net';
import {
  ContextResult,
  NDR20_SYNTAX,
  QapStatus,
  SIGNATURE_LENGTH,
  decodeActivationRequest,
  decodePdu,
  encodeBindAck,
  encodeResponse,
  encodeResponseBody,
  peekFragLength,
} from '../shared/protocol/index.js';
import type { HostIdentity } from '../src-main/host/identity.js';

const MAX_FRAGMENT = 5840;

export interface FloorServer {
  port: number;
  close(): Promise<void>;
}

export interface FloorOptions {
  identity: HostIdentity;
  /** A SQLite file: commit one row per activation before replying (the durable floor). */
  durableFile?: string;
}

type Persist = (cmid: string, machineName: string, address: string, productId: string, at: number) => void;

function openDurable(file: string): { persist: Persist; close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS activations (
    cmid TEXT PRIMARY KEY, machine_name TEXT NOT NULL, address TEXT NOT NULL,
    product_id TEXT NOT NULL, last_seen INTEGER NOT NULL, requests INTEGER NOT NULL)`);
  const upsert = db.prepare(
    `INSERT INTO activations VALUES (?, ?, ?, ?, ?, 1)
     ON CONFLICT(cmid) DO UPDATE SET machine_name = excluded.machine_name, address = excluded.address,
       last_seen = excluded.last_seen, requests = requests + 1`,
  );
  // Each run() outside a transaction is its own commit: one durable commit per activation.
  return { persist: (...row) => void upsert.run(...row), close: () => db.close() };
}

export async function startFloorServer(options: FloorOptions): Promise<FloorServer> {
  const { identity } = options;
  const durable = options.durableFile ? openDurable(options.durableFile) : null;
  const sockets = new Set<Socket>();
  let port = 0;

  const answer = (stub: Uint8Array, address: string): Uint8Array => {
    const req = decodeActivationRequest(stub);
    const hostTime = Date.now();
    durable?.persist(req.cmid, req.machineName, address, req.productId, hostTime);
    const body = encodeResponseBody({
      version: 1,
      status: QapStatus.Ok,
      hostPublicKey: identity.publicKey,
      hostId: identity.hostId,
      cmid: req.cmid,
      nonce: req.nonce,
      clientTime: req.clientTime,
      count: 50,
      threshold: 25,
      granted: true,
      activationIntervalMin: 120,
      renewalIntervalMin: 10_080,
      validityMin: 259_200,
      hostTime,
    });
    const signed = new Uint8Array(body.byteLength + SIGNATURE_LENGTH);
    signed.set(body, 0);
    signed.set(identity.sign(body), body.byteLength);
    return signed;
  };

  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const address = socket.remoteAddress ?? '';
    let maxXmit = MAX_FRAGMENT;
    let pending: Buffer | null = null;
    socket.on('data', (chunk: Buffer) => {
      pending = pending ? Buffer.concat([pending, chunk]) : chunk;
      while (pending && pending.length >= 16) {
        const length = peekFragLength(pending);
        if (length < 16 || length > MAX_FRAGMENT) return void socket.destroy();
        if (pending.length < length) return;
        const frag = pending.subarray(0, length);
        pending = pending.length > length ? pending.subarray(length) : null;
        try {
          const pdu = decodePdu(frag);
          if (pdu.kind === 'bind') {
            maxXmit = Math.min(pdu.maxRecvFrag, MAX_FRAGMENT);
            const results = pdu.contexts.map(() => ({
              result: ContextResult.acceptance,
              reason: 0,
              transferSyntax: NDR20_SYNTAX,
            }));
            const ack = { maxXmitFrag: maxXmit, maxRecvFrag: MAX_FRAGMENT, assocGroupId: 1, results };
            socket.write(encodeBindAck(pdu.header.callId, { ...ack, secondaryAddress: String(port) }));
          } else if (pdu.kind === 'request') {
            const signed = answer(pdu.stub, address);
            for (const f of encodeResponse(pdu.header.callId, pdu.contextId, signed, maxXmit)) socket.write(f);
          } else socket.destroy();
        } catch {
          // A floor answers well-formed traffic only; anything else ends the connection.
          socket.destroy();
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const bound = server.address();
  port = typeof bound === 'object' && bound ? bound.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          durable?.close();
          resolve();
        });
      }),
  };
}
