/**
 * `quorum authority serve`: the authority's API over HTTP, or HTTPS when given a certificate.
 * Anyone may reach it, so it bounds what one peer can cost (connections, header and body time,
 * body size, requests per minute) and nothing a peer sends can throw out of a handler.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { MAX_BODY_BYTES } from './authority-api.js';
import { loadOrCreateAuthorityIdentity } from './authority-identity.js';
import { readAuthoritySecret } from './authority-secret.js';
import {
  AuthorityService,
  DEFAULT_AUTHORITY_LIMITS,
  unsignedError,
  type Answer,
  type AuthorityLimits,
} from './authority-service.js';
import { noAuthority } from './errors.js';
import { openKeyDatabase } from './key-database.js';

export const DEFAULT_AUTHORITY_PORT = 8691;

export interface AuthorityServerOptions {
  dataDir: string;
  clock: Clock;
  listen: { host: string; port: number }[];
  /** PEM certificate chain and private key: serve HTTPS. */
  tls?: { cert: string; key: string };
  limits?: Partial<AuthorityLimits>;
  /** Concurrent connections per listening socket. */
  maxConnections?: number;
  log?: (line: string) => void;
}

export interface AuthorityServer {
  urls: string[];
  fingerprint: string;
  authorityTag: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  if (answer.retryAfter !== undefined) headers['Retry-After'] = String(answer.retryAfter);
  res.writeHead(answer.status, headers).end(`${JSON.stringify(answer.body)}\n`);
}

/** The body as JSON, or an answer saying why not. */
function readJson(req: IncomingMessage): Promise<unknown | Answer> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      resolve(unsignedError(413, 'AUTHORITY_BODY_TOO_LARGE', `Request bodies are at most ${MAX_BODY_BYTES} bytes.`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        resolve(unsignedError(413, 'AUTHORITY_BODY_TOO_LARGE', `Request bodies are at most ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => resolve(unsignedError(400, 'AUTHORITY_BAD_REQUEST', 'The request body could not be read.')));
    req.on('end', () => {
      try {
        resolve({ json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve(unsignedError(400, 'AUTHORITY_BAD_REQUEST', 'The request body is not JSON.'));
      }
    });
  }).then((r) => (r !== null && typeof r === 'object' && 'json' in r ? (r as { json: unknown }).json : r));
}

function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && 'status' in value && 'summary' in value && 'body' in value;
}

export async function startAuthorityServer(options: AuthorityServerOptions): Promise<AuthorityServer> {
  const log = options.log ?? (() => {});
  const secret = readAuthoritySecret(options.dataDir);
  if (!secret) throw noAuthority(options.dataDir);
  const identity = loadOrCreateAuthorityIdentity(options.dataDir);
  const db = openKeyDatabase(options.dataDir, options.clock, { create: false });
  const service = new AuthorityService(db, secret, identity, options.clock, options.dataDir, {
    ...DEFAULT_AUTHORITY_LIMITS,
    ...options.limits,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? 'unknown';
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}\n');
      return;
    }
    if (req.method === 'GET' && path === '/v1/identity') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(service.identityDocument())}\n`);
      return;
    }
    const route = path === '/v1/activate' ? 'activate' : path === '/v1/confirm' ? 'confirm' : null;
    if (!route) {
      send(
        res,
        unsignedError(
          404,
          'AUTHORITY_NOT_FOUND_PATH',
          `No such endpoint: ${JSON.stringify(path).slice(0, 100)}.`,
          'See docs/keys.md, "The authority API".',
        ),
      );
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      send(
        res,
        unsignedError(405, 'AUTHORITY_METHOD', `${route === 'activate' ? '/v1/activate' : '/v1/confirm'} takes POST.`),
      );
      return;
    }
    const refused = service.admit(address);
    if (refused) {
      log(`authority: ${address} ${refused.summary}`);
      send(res, refused);
      req.resume();
      return;
    }
    const body = await readJson(req);
    const answer = isAnswer(body) ? body : route === 'activate' ? service.activate(body) : service.confirm(body);
    log(`authority: ${address} ${route}: ${answer.summary}`);
    if (!res.destroyed) send(res, answer);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      // A store failure (disk full, database locked past its timeout) is the authority's fault, not the peer's.
      const error =
        e instanceof QuorumError ? e : new QuorumError('AUTHORITY_INTERNAL', 'The authority failed to answer.');
      log(`authority: failed a request: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) send(res, unsignedError(500, error.code, error.message, 'Try again later.'));
      else res.destroy();
    });
  };

  const servers: Server[] = [];
  const urls: string[] = [];
  try {
    for (const spec of options.listen) {
      const server = options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
      server.headersTimeout = 10_000;
      server.requestTimeout = 15_000;
      server.keepAliveTimeout = 5_000;
      server.maxConnections = options.maxConnections ?? 256;
      server.on('clientError', (_e, socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(spec.port, spec.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      servers.push(server);
      const port = (server.address() as AddressInfo).port;
      const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host === '0.0.0.0' ? '127.0.0.1' : spec.host;
      urls.push(`${options.tls ? 'https' : 'http'}://${host}:${port}`);
    }
  } catch (e) {
    for (const s of servers) s.close();
    db.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new QuorumError(
      'AUTHORITY_LISTEN_FAILED',
      `The authority cannot listen (${code ?? (e instanceof Error ? e.message : String(e))}).`,
      code === 'EADDRINUSE'
        ? 'Another program uses the port: pick another with --listen ADDR:PORT.'
        : 'Check --listen.',
    );
  }
  const doc = service.identityDocument();
  return {
    urls,
    fingerprint: doc.fingerprint,
    authorityTag: doc.authorityTag,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
      db.close();
    },
  };
}
