import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProtocolVectors } from '../../../scripts/gen-protocol-vectors.js';
import { decodeActivationRequest, decodeSignedResponse, fromHex } from '../../../shared/protocol/index.js';
import { computeSiteTokenMac } from '../../../src-main/host/admission.js';
import { verifyHostSignature } from '../../../src-main/host/identity.js';

const file = JSON.parse(readFileSync(new URL('../../vectors/qap-vectors.json', import.meta.url), 'utf8')) as ReturnType<
  typeof buildProtocolVectors
>;

describe('QAP test vectors', () => {
  it('are reproduced byte for byte from the fixed seed and nonce', () => {
    expect(buildProtocolVectors()).toEqual(file);
  });

  it('are the ones printed in docs/protocol.md', () => {
    const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8').replace(/\s+/g, '');
    for (const hex of [
      file.request.hex,
      file.requestWithSiteToken.hex,
      file.signedResponseHex,
      ...Object.values(file.pdus),
    ]) {
      expect(doc).toContain(hex);
    }
    expect(doc.match(/InterfaceUUID:fba2b687-4925-4024-aa47-172873372121v1\.0/g)).toHaveLength(1);
  });

  it('decode, and the signature verifies with the published key', () => {
    const req = decodeActivationRequest(fromHex(file.request.hex));
    expect(req.machineName).toBe('WS-0042.office.test');
    const signed = decodeSignedResponse(fromHex(file.signedResponseHex));
    expect(signed.response.nonce).toEqual(req.nonce);
    expect(verifyHostSignature(fromHex(file.hostPublicKeyHex), signed.signedBytes, signed.signature)).toBe(true);
    const tampered = signed.signedBytes.slice();
    tampered[90] = tampered[90]! ^ 1;
    expect(verifyHostSignature(fromHex(file.hostPublicKeyHex), tampered, signed.signature)).toBe(false);
  });

  it('carry a site-token MAC that the token reproduces', () => {
    const bytes = fromHex(file.requestWithSiteToken.hex);
    expect(decodeActivationRequest(bytes).siteTokenMac).toEqual(fromHex(file.requestWithSiteToken.macHex));
    expect(computeSiteTokenMac(file.siteToken, bytes)).toEqual(fromHex(file.requestWithSiteToken.macHex));
  });
});
