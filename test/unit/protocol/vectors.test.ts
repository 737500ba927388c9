import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProtocolVectors, vectorRequest, vectorResponse } from '../../../scripts/gen-protocol-vectors.js';
import {
  decodeActivationRequest,
  decodePdu,
  decodeSignedResponse,
  fromHex,
  toHex,
} from '../../../shared/protocol/index.js';
import { computeSiteTokenMac } from '../../../src-main/host/admission.js';
import { hostIdentityFromSeed, verifyHostSignature } from '../../../src-main/host/identity.js';
import { assignments, code, readDoc, tableAfter, vectorBlocks } from '../../support/protocol-doc.js';

const file = JSON.parse(readFileSync(new URL('../../vectors/qap-vectors.json', import.meta.url), 'utf8')) as ReturnType<
  typeof buildProtocolVectors
>;
const doc = readDoc('protocol.md');
const blocks = vectorBlocks(doc);

/** A cell's backticked value as the codec's value: numbers, booleans and null parsed, text kept. */
function docValue(cell: string): unknown {
  const text = code(cell);
  if (text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  return /^\d+$/.test(text) ? Number(text) : text;
}

function inputs(caption: string): Record<string, unknown> {
  return Object.fromEntries(tableAfter(doc, caption).map((r) => [r.field ?? r.input!, docValue(r.value!)]));
}

describe('QAP test vectors', () => {
  it('are reproduced byte for byte from the fixed seed and nonce', () => {
    expect(buildProtocolVectors()).toEqual(file);
  });

  it('in docs/protocol.md §11 are the bytes the codec builds', () => {
    const v = buildProtocolVectors();
    const expected: Record<string, string> = {
      request: v.request.hex,
      'request-mac': v.requestWithSiteToken.hex,
      'response-body': v.responseBodyHex,
      signature: v.signatureHex,
      'signed-response': v.signedResponseHex,
      'pdu-bind': v.pdus.bind!,
      'pdu-bind-ack': v.pdus.bindAck!,
      'pdu-alter-context-resp': v.pdus.alterContextResp!,
      'pdu-bind-nak': v.pdus.bindNak!,
      'pdu-request': v.pdus.request!,
      'pdu-response': v.pdus.response!,
      'pdu-fault': v.pdus.faultOpRange!,
    };
    expect(Object.fromEntries(blocks)).toEqual(expected);
    const outputs = Object.fromEntries(tableAfter(doc, '**Outputs**').map((r) => [r.output, code(r.value!)]));
    expect(outputs).toEqual({
      'host public key': v.hostPublicKeyHex,
      fingerprint: v.hostFingerprint,
      hostId: v.hostId,
      'site-token MAC': v.requestWithSiteToken.macHex,
    });
    expect(doc.replace(/\s+/g, '').match(/InterfaceUUID:fba2b687-4925-4024-aa47-172873372121v1\.0/g)).toHaveLength(1);
  });

  it('state all their inputs in the document, and those inputs rebuild the vectors', () => {
    const host = inputs('**Inputs: host**');
    const identity = hostIdentityFromSeed(fromHex(String(host['Ed25519 seed (RFC 8032 private key)'])));
    const req = { ...vectorRequest(), nonce: toHex(vectorRequest().nonce) };
    expect(inputs('**Inputs: request**')).toEqual(req);
    const resp = vectorResponse(identity.publicKey, identity.hostId);
    const { hostPublicKey: _key, hostId: _id, ...stated } = { ...resp, nonce: toHex(resp.nonce) };
    expect(inputs('**Inputs: response**')).toEqual(stated);
    // The bytes follow from the stated inputs alone.
    const decodedReq = decodeActivationRequest(fromHex(blocks.get('request')!));
    expect({ ...decodedReq, nonce: toHex(decodedReq.nonce) }).toEqual(req);
    expect(decodeActivationRequest(fromHex(blocks.get('request-mac')!)).siteTokenMac).toEqual(
      computeSiteTokenMac(String(host['site token']), fromHex(blocks.get('request-mac')!)),
    );
    const signed = decodeSignedResponse(fromHex(blocks.get('signed-response')!));
    expect(toHex(signed.signature)).toBe(toHex(identity.sign(signed.signedBytes)));
    expect({ ...signed.response, nonce: toHex(signed.response.nonce) }).toMatchObject(stated);
  });

  it('state the PDU fields of §11 that the PDU bytes carry', () => {
    const rows = tableAfter(doc, '**Inputs: PDUs**');
    expect(rows.map((r) => r.vector)).toEqual([...blocks.keys()].filter((k) => k.startsWith('pdu-')));
    for (const row of rows) {
      const pdu = decodePdu(fromHex(blocks.get(row.vector!)!));
      const got: Record<string, number> = { call_id: pdu.header.callId, pfc_flags: pdu.header.flags };
      if ('maxXmitFrag' in pdu) Object.assign(got, { max_xmit_frag: pdu.maxXmitFrag, max_recv_frag: pdu.maxRecvFrag });
      if ('assocGroupId' in pdu) got.assoc_group_id = pdu.assocGroupId;
      if ('contexts' in pdu)
        Object.assign(got, { n_context_elem: pdu.contexts.length, p_cont_id: pdu.contexts[0]?.contextId });
      if ('contextId' in pdu) got.p_cont_id = pdu.contextId;
      if ('allocHint' in pdu && pdu.kind !== 'fault') got.alloc_hint = pdu.allocHint;
      if (pdu.kind === 'request') got.opnum = pdu.opnum;
      if (pdu.kind === 'fault') got.status = pdu.status;
      if (pdu.kind === 'bind_nak') got.reject_reason = pdu.rejectReason;
      const stated = assignments(row.inputs!);
      expect(Object.keys(stated).length, row.vector).toBeGreaterThan(1);
      for (const [k, n] of Object.entries(stated)) expect(got[k], `${row.vector} ${k}`).toBe(n);
    }
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
