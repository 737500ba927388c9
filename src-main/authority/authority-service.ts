/**
 * What `quorum authority serve` answers, without the HTTP around it: validate a request, apply the
 * budgets, ask the ledger, and sign the answer. Kept apart from the transport so the rules are
 * tested directly and the server file stays about sockets.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/domain/clock.js';
import { QuorumError } from '../../shared/domain/errors.js';
import { maskHostKey, parseHostKey } from '../../shared/keys/index.js';
import {
  API_VERSION,
  activateRequestSchema,
  confirmRequestSchema,
  signedBytes,
  toBase64url,
  type AnswerPayload,
  type Envelope,
  type IdentityDocument,
} from './authority-api.js';
import type { AuthorityIdentity } from './authority-identity.js';
import { tagLabel, type AuthoritySecret } from './authority-secret.js';
import { Authority } from './authority.js';
import { confirmedByWrongAuthority, invalidKey, unprovenInstallation } from './errors.js';
import { mintHostKey } from './key-authenticator.js';
import { onlineRequestRef } from './online-request.js';
import { buildConfirmationId, provesKey, readInstallationId } from './offline-ids.js';
import { RequestBudget } from './request-budget.js';

export interface AuthorityLimits {
  /** Requests per minute from one address (0: none). */
  perAddressPerMinute: number;
  /** Activations and confirmations per minute of one key (0: none). */
  perKeyPerMinute: number;
}

export const DEFAULT_AUTHORITY_LIMITS: AuthorityLimits = { perAddressPerMinute: 60, perKeyPerMinute: 30 };

export interface Answer {
  status: number;
  body: Envelope | { error: { code: string; message: string; hint?: string } };
  /** Seconds, for 429. */
  retryAfter?: number;
  /** One line for the log. */
  summary: string;
}

/** An error answer that is not signed: the request was unusable before a nonce could be read. */
export function unsignedError(status: number, code: string, message: string, hint?: string): Answer {
  return {
    status,
    body: { error: hint === undefined ? { code, message } : { code, message, hint } },
    summary: `refused ${code}`,
  };
}

const STATUS_OF: Record<string, number> = {
  KEY_HOST_LIMIT: 403,
  KEY_REACTIVATION_LIMIT: 403,
  KEY_NOT_GENUINE: 403,
  KEY_WRONG_AUTHORITY: 403,
  INSTALLATION_ID_NOT_GENUINE: 403,
  AUTHORITY_RATE_LIMITED: 429,
};

export class AuthorityService {
  readonly #authority: Authority;
  readonly #perAddress: RequestBudget;
  readonly #perKey: RequestBudget;

  constructor(
    db: Database,
    private readonly secret: AuthoritySecret,
    private readonly identity: AuthorityIdentity,
    private readonly clock: Clock,
    where: string,
    limits: AuthorityLimits = DEFAULT_AUTHORITY_LIMITS,
  ) {
    this.#authority = new Authority(db, secret, clock, where);
    this.#perAddress = new RequestBudget(clock, limits.perAddressPerMinute);
    this.#perKey = new RequestBudget(clock, limits.perKeyPerMinute);
  }

  identityDocument(): IdentityDocument {
    return {
      v: API_VERSION,
      service: 'quorum-authority',
      publicKey: toBase64url(this.identity.publicKey),
      fingerprint: this.identity.fingerprint,
      authorityTag: tagLabel(this.secret.tag),
    };
  }

  /** Counts a request against its address; an answer when over budget. */
  admit(address: string): Answer | null {
    const wait = this.#perAddress.take(address);
    return wait > 0 ? this.#rateLimited('address', wait) : null;
  }

  activate(body: unknown): Answer {
    const parsed = activateRequestSchema.safeParse(body);
    if (!parsed.success) return badRequest(parsed.error.issues[0]?.message ?? 'invalid request');
    const request = parsed.data;
    const key = parseHostKey(request.key);
    if (!key.ok) return this.#refusal(request.nonce, invalidKey(key.error), 400);
    const wait = this.#perKey.take(`key:${key.key.serial}:${key.key.authorityTag}`);
    if (wait > 0) return this.#rateLimited('key', wait, request.nonce);
    try {
      // Scoped by key and host: a request id another host sent cannot fetch this host's grant.
      const ref = onlineRequestRef(key.key.serial, request.hostId, request.requestId);
      const grant = this.#authority.activate(key.key, request.hostId, 'online', ref);
      return this.#signed(
        200,
        {
          v: API_VERSION,
          kind: 'activation',
          nonce: request.nonce,
          authorityTime: this.clock.now(),
          requestId: request.requestId,
          hostId: request.hostId,
          keySerial: key.key.serial,
          hostsUsed: grant.hostsUsed,
          activationNumber: grant.activationNumber,
          at: grant.at,
        },
        `granted activation ${grant.activationNumber} of ${maskHostKey(key.key.text)} to host ${request.hostId} (hosts ${grant.hostsUsed})`,
      );
    } catch (e) {
      return this.#refusal(request.nonce, e);
    }
  }

  confirm(body: unknown): Answer {
    const parsed = confirmRequestSchema.safeParse(body);
    if (!parsed.success) return badRequest(parsed.error.issues[0]?.message ?? 'invalid request');
    const { nonce } = parsed.data;
    try {
      const request = readInstallationId(parsed.data.installationId);
      if (request.authorityTag !== this.secret.tag) {
        throw confirmedByWrongAuthority(tagLabel(request.authorityTag), tagLabel(this.secret.tag), 'this authority');
      }
      const wait = this.#perKey.take(`key:${request.serial}:${request.authorityTag}`);
      if (wait > 0) return this.#rateLimited('key', wait, nonce);
      const key = mintHostKey(this.secret, request);
      if (!provesKey(request, key)) throw unprovenInstallation();
      const grant = this.#authority.activate(key, request.hostId, 'offline', request.iid);
      return this.#signed(
        200,
        {
          v: API_VERSION,
          kind: 'confirmation',
          nonce,
          authorityTime: this.clock.now(),
          confirmationId: buildConfirmationId(key, request, grant),
          maskedKey: maskHostKey(key.text),
          hostsUsed: grant.hostsUsed,
          activationNumber: grant.activationNumber,
        },
        `confirmed activation ${grant.activationNumber} of ${maskHostKey(key.text)} for host ${request.hostId}`,
      );
    } catch (e) {
      return this.#refusal(nonce, e);
    }
  }

  #signed(status: number, payload: AnswerPayload, summary: string): Answer {
    const bytes = new TextEncoder().encode(JSON.stringify(payload));
    const signature = this.identity.sign(signedBytes(bytes));
    return { status, body: { payload: toBase64url(bytes), signature: toBase64url(signature) }, summary };
  }

  #refusal(nonce: string, e: unknown, status?: number): Answer {
    if (!(e instanceof QuorumError)) throw e;
    const payload: AnswerPayload = {
      v: API_VERSION,
      kind: 'refusal',
      nonce,
      authorityTime: this.clock.now(),
      code: e.code,
      message: e.message,
      ...(e.hint === undefined ? {} : { hint: e.hint }),
    };
    return this.#signed(status ?? STATUS_OF[e.code] ?? 400, payload, `refused ${e.code}`);
  }

  #rateLimited(what: 'address' | 'key', waitMs: number, nonce?: string): Answer {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const error = new QuorumError(
      'AUTHORITY_RATE_LIMITED',
      what === 'address' ? 'Too many requests from this address.' : 'Too many activations of this key in a short time.',
      `Try again in ${seconds} s.`,
    );
    const answer =
      nonce === undefined
        ? unsignedError(429, error.code, error.message, error.hint)
        : this.#refusal(nonce, error, 429);
    return { ...answer, retryAfter: seconds };
  }
}

function badRequest(detail: string): Answer {
  return unsignedError(
    400,
    'AUTHORITY_BAD_REQUEST',
    `The request is not a valid authority API request: ${detail}.`,
    'Use quorum key activate --authority URL, or see docs/keys.md, "The authority API".',
  );
}
