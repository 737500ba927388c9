/**
 * The site token MAC a client puts in its request and a host with a site token checks
 * (docs/protocol.md, "Site token"): HMAC-SHA256 over the request with the MAC field zeroed.
 */
import { createHmac } from 'node:crypto';
import { requestMacInput } from '../../shared/protocol/qap-codec.js';

export function computeSiteTokenMac(siteToken: string, requestBytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', siteToken).update(requestMacInput(requestBytes)).digest());
}
