/**
 * Checks a host's reply before the client believes any of it: the Ed25519 signature over the
 * signed bytes, the echoed nonce, client time and CMID, and the host key against the pins (the
 * admin's fingerprints, or the key seen first at that address). Any failure is a loud error.
 */
import type { ActivationRequest, ActivationResponse } from '../../shared/protocol/qap-types.js';
import { fingerprintOf, verifyHostSignature } from './host-key.js';
import { hostKeyMismatch, replayed, signatureInvalid } from './errors.js';

export interface SignedReply {
  response: ActivationResponse;
  signedBytes: Uint8Array;
  signature: Uint8Array;
}

export interface PinPolicy {
  /** Fingerprints the admin gave; when non-empty, only these keys are accepted. */
  admin: readonly string[];
  /** Pins made on first use, by "host:port"; updated in place when a new host is trusted. */
  tofu: Record<string, string>;
}

/** Fingerprints compare without separators and case ("AB:CD" equals "abcd"). */
export function normaliseFingerprint(fp: string): string {
  return fp.replace(/[\s:]/g, '').toLowerCase();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Returns the host key's fingerprint; throws CLIENT_SIGNATURE_INVALID / CLIENT_REPLAY / CLIENT_HOST_KEY_MISMATCH. */
export function verifyReply(
  hostLabel: string,
  request: ActivationRequest,
  reply: SignedReply,
  pins: PinPolicy,
): string {
  const r = reply.response;
  if (!verifyHostSignature(r.hostPublicKey, reply.signedBytes, reply.signature)) throw signatureInvalid(hostLabel);
  if (!sameBytes(r.nonce, request.nonce)) throw replayed(hostLabel, 'the echoed nonce differs');
  if (r.clientTime !== request.clientTime) throw replayed(hostLabel, 'the echoed client time differs');
  if (r.cmid.toLowerCase() !== request.cmid.toLowerCase()) throw replayed(hostLabel, 'it names another CMID');
  const fingerprint = fingerprintOf(r.hostPublicKey);
  const got = normaliseFingerprint(fingerprint);
  if (pins.admin.length > 0) {
    if (!pins.admin.some((fp) => normaliseFingerprint(fp) === got)) {
      throw hostKeyMismatch(hostLabel, [...pins.admin], fingerprint, 'admin');
    }
  } else {
    const pinned = pins.tofu[hostLabel];
    if (pinned !== undefined && normaliseFingerprint(pinned) !== got) {
      throw hostKeyMismatch(hostLabel, [pinned], fingerprint, 'first use');
    }
  }
  return fingerprint;
}
