/**
 * The host's side of the authority API: one request, one verified answer. An answer counts only if
 * it is signed by the pinned authority key and echoes this request's nonce; anything else (a
 * changed byte, an answer recorded earlier, another server) is refused with a specific error.
 * Failures to reach the authority say so and point at the offline path, which needs no network.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { QuorumError } from '../../shared/domain/errors.js';
import {
  answerPayloadSchema,
  envelopeSchema,
  fromBase64url,
  identitySchema,
  signedBytes,
  type AnswerPayload,
  type IdentityDocument,
} from './authority-api.js';
import { authorityFingerprintOf } from './authority-identity.js';

export interface RemoteOptions {
  /** PEM CA certificate(s) to trust for an https authority with a private CA. */
  ca?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const OFFLINE_HINT =
  'Check the URL and the network, or activate offline: quorum key activate --offline, then give the installation ID to the vendor.';

/** An authority URL as typed: http(s) only, no credentials; the path is the API's base. */
export function parseAuthorityUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QuorumError(
      'AUTHORITY_URL',
      `"${text.slice(0, 200)}" is not a URL.`,
      'Give the authority as https://HOST[:PORT].',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new QuorumError(
      'AUTHORITY_URL',
      `The authority URL must start with https:// (or http://); got ${url.protocol}`,
      'Give the authority as https://HOST[:PORT].',
    );
  }
  if (url.username || url.password) {
    throw new QuorumError(
      'AUTHORITY_URL',
      'The authority URL must not carry a user name or password.',
      'Remove them from the URL.',
    );
  }
  return url;
}

/** A fingerprint as typed by a person: 64 hex digits, spaces, colons or dashes between them allowed. */
export function normalizeFingerprint(text: string): string {
  const hex = text.toLowerCase().replace(/[\s:-]/g, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new QuorumError(
      'AUTHORITY_PIN_FORMAT',
      'An authority fingerprint is 64 hexadecimal digits (SHA-256 of its public key).',
      'Copy it from the vendor, or from the authority\'s "quorum authority serve" output.',
    );
  }
  return hex;
}

function unreachable(url: URL, e: unknown): QuorumError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO/.test(code)) {
    return new QuorumError(
      'AUTHORITY_TLS',
      `The authority at ${url.origin} did not prove its identity over TLS (${code}).`,
      'If the vendor uses a private CA, pass its certificate with --authority-ca FILE; or activate offline: quorum key activate --offline.',
    );
  }
  if (
    url.protocol === 'https:' &&
    (code === 'ECONNRESET' || /wrong version number|packet length too long/i.test(String(e)))
  ) {
    // What a plain-HTTP server does with a TLS handshake: answers 400 in clear text and hangs up.
    return new QuorumError(
      'AUTHORITY_UNREACHABLE',
      `The authority at ${url.origin} closed the connection during the TLS handshake (${code || 'not TLS'}).`,
      `An authority started without --tls-cert speaks plain HTTP: use http://${url.host}. ${OFFLINE_HINT}`,
    );
  }
  const what =
    code === 'ETIMEDOUT'
      ? 'did not answer in time'
      : `cannot be reached (${code || (e instanceof Error ? e.message : String(e))})`;
  return new QuorumError('AUTHORITY_UNREACHABLE', `The authority at ${url.origin} ${what}.`, OFFLINE_HINT);
}

function exchange(
  url: URL,
  method: 'GET' | 'POST',
  body: unknown,
  options: RemoteOptions,
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          Accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.byteLength;
          if (size > MAX_ANSWER_BYTES) {
            req.destroy(Object.assign(new Error('answer too large'), { code: 'EANSWERSIZE' }));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => reject(unreachable(url, e)));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(unreachable(url, e)));
    req.end(payload);
  });
}

function notAnAuthority(url: URL, why: string): QuorumError {
  return new QuorumError(
    'AUTHORITY_BAD_ANSWER',
    `${url.origin} did not answer as a Quorum authority (${why}).`,
    `Check the URL (it is where "quorum authority serve" listens). ${OFFLINE_HINT}`,
  );
}

function parseJson(url: URL, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notAnAuthority(url, 'the answer is not JSON');
  }
}

/** GET /v1/identity: the authority's public key, checked against its own fingerprint. */
export async function fetchAuthorityIdentity(base: URL, options: RemoteOptions = {}): Promise<IdentityDocument> {
  const { status, text } = await exchange(new URL('v1/identity', withSlash(base)), 'GET', undefined, options);
  if (status !== 200) throw notAnAuthority(base, `HTTP ${status} for /v1/identity`);
  const parsed = identitySchema.safeParse(parseJson(base, text));
  if (!parsed.success) throw notAnAuthority(base, 'its identity document is not valid');
  const publicKey = fromBase64url(parsed.data.publicKey);
  if (publicKey.byteLength !== 32 || authorityFingerprintOf(publicKey) !== parsed.data.fingerprint) {
    throw notAnAuthority(base, 'its public key does not match its fingerprint');
  }
  return parsed.data;
}

function withSlash(base: URL): URL {
  const copy = new URL(base.href);
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}

function forged(url: URL, why: string): QuorumError {
  return new QuorumError(
    'AUTHORITY_ANSWER_FORGED',
    `The answer from ${url.origin} was refused: ${why}. Nothing was recorded.`,
    'Something between this host and the authority changed or replayed it. Try again from another network, or activate offline: quorum key activate --offline.',
  );
}

/**
 * POSTs `body` (without its nonce) and returns the verified payload. A signed refusal is thrown as
 * the authority's own error; an unsigned error answer is thrown as such.
 */
export async function callAuthority(
  base: URL,
  path: 'v1/activate' | 'v1/confirm',
  body: Record<string, unknown>,
  publicKey: Uint8Array,
  options: RemoteOptions = {},
): Promise<AnswerPayload> {
  const nonce = randomBytes(16).toString('hex');
  const { status, text } = await exchange(new URL(path, withSlash(base)), 'POST', { ...body, nonce }, options);
  const json = parseJson(base, text);
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    const error = (json as { error?: { code?: unknown; message?: unknown; hint?: unknown } } | null)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      throw new QuorumError(
        error.code,
        `The authority refused: ${error.message}`,
        typeof error.hint === 'string' ? error.hint : undefined,
      );
    }
    throw notAnAuthority(base, `HTTP ${status} without a signed answer`);
  }
  const payloadBytes = fromBase64url(envelope.data.payload);
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
  if (!verify(null, signedBytes(payloadBytes), key, fromBase64url(envelope.data.signature))) {
    throw forged(base, 'its signature does not verify with the pinned authority key');
  }
  const payload = answerPayloadSchema.safeParse(parseJson(base, new TextDecoder().decode(payloadBytes)));
  if (!payload.success) throw notAnAuthority(base, 'a signed answer of an unknown form');
  if (payload.data.nonce !== nonce) throw forged(base, 'it answers another request (replayed)');
  if (payload.data.kind === 'refusal') {
    throw new QuorumError(payload.data.code, payload.data.message, payload.data.hint);
  }
  return payload.data;
}
