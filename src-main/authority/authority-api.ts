/**
 * The networked authority's JSON API (docs/keys.md, "The authority API"), the one definition both
 * `quorum authority serve` and the host's client use. Answers travel in a signed envelope: the
 * payload is the exact JSON bytes the authority signed, so nothing has to be re-serialised
 * byte-for-byte to check a signature. Each request carries a fresh nonce the answer must echo,
 * which is what makes a recorded answer useless for any other request.
 */
import { z } from 'zod';

export const API_VERSION = 1;
/** Domain separation: these signatures can never be mistaken for the host's QAP signatures. */
export const SIGNATURE_CONTEXT = 'quorum-authority-answer-v1\n';
/** Request bodies are a few hundred bytes; anything past this is refused unread. */
export const MAX_BODY_BYTES = 8 * 1024;

const hex = (len: number, what: string) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${len}}$`), `${what} must be ${len} lower-case hexadecimal digits`);

export const nonceSchema = hex(32, 'nonce');

export const activateRequestSchema = z
  .object({
    v: z.literal(API_VERSION),
    key: z.string().min(1).max(100),
    hostId: hex(10, 'hostId'),
    /** The host's id for this activation: a retry (or a second process of the same host) repeats it and is counted once. */
    requestId: hex(32, 'requestId'),
    nonce: nonceSchema,
  })
  .strict();
export type ActivateRequest = z.infer<typeof activateRequestSchema>;

export const confirmRequestSchema = z
  .object({ v: z.literal(API_VERSION), installationId: z.string().min(1).max(200), nonce: nonceSchema })
  .strict();
export type ConfirmRequest = z.infer<typeof confirmRequestSchema>;

const common = { v: z.literal(API_VERSION), nonce: nonceSchema, authorityTime: z.number().int() };

export const activationPayloadSchema = z
  .object({
    ...common,
    kind: z.literal('activation'),
    requestId: hex(32, 'requestId'),
    hostId: hex(10, 'hostId'),
    keySerial: z.number().int().min(0),
    hostsUsed: z.number().int().min(1),
    activationNumber: z.number().int().min(1),
    at: z.number().int(),
  })
  .strict();
export type ActivationPayload = z.infer<typeof activationPayloadSchema>;

export const confirmationPayloadSchema = z
  .object({
    ...common,
    kind: z.literal('confirmation'),
    confirmationId: z.string(),
    maskedKey: z.string(),
    hostsUsed: z.number().int().min(1),
    activationNumber: z.number().int().min(1),
  })
  .strict();
export type ConfirmationPayload = z.infer<typeof confirmationPayloadSchema>;

export const refusalPayloadSchema = z
  .object({
    ...common,
    kind: z.literal('refusal'),
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string().max(2000),
    hint: z.string().max(2000).optional(),
  })
  .strict();
export type RefusalPayload = z.infer<typeof refusalPayloadSchema>;

export const answerPayloadSchema = z.discriminatedUnion('kind', [
  activationPayloadSchema,
  confirmationPayloadSchema,
  refusalPayloadSchema,
]);
export type AnswerPayload = z.infer<typeof answerPayloadSchema>;

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected base64url');
export const envelopeSchema = z.object({ payload: base64url, signature: base64url }).strict();
export type Envelope = z.infer<typeof envelopeSchema>;

export const identitySchema = z.object({
  v: z.literal(API_VERSION),
  service: z.literal('quorum-authority'),
  publicKey: base64url,
  fingerprint: hex(64, 'fingerprint'),
  authorityTag: z.string().regex(/^[0-9A-F]{4}$/),
});
export type IdentityDocument = z.infer<typeof identitySchema>;

/** The bytes a signature covers for a payload's bytes. */
export function signedBytes(payload: Uint8Array): Uint8Array {
  const context = new TextEncoder().encode(SIGNATURE_CONTEXT);
  const out = new Uint8Array(context.byteLength + payload.byteLength);
  out.set(context, 0);
  out.set(payload, context.byteLength);
  return out;
}

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export function fromBase64url(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
