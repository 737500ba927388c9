/**
 * One probe (docs/protocol.md, "Probe requests"): a signed activation handshake that proves which
 * host answers at an address and counts nothing there. The answer is verified as a client verifies
 * any answer (signature, nonce, CMID, client time); the key is not pinned by it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BUILTIN_PRODUCTS } from '../../shared/domain/products.js';
import { QuorumError } from '../../shared/domain/errors.js';
import type { DnsCheckAddressView } from '../../shared/ipc/dns-channels.js';
import { decodeSignedResponse, encodeActivationRequest, withRequestMac } from '../../shared/protocol/qap-codec.js';
import { QapStatus, type ActivationRequest } from '../../shared/protocol/qap-types.js';
import { computeSiteTokenMac } from '../client/site-token.js';
import { rpcTransport } from '../client/rpc-transport.js';
import type { ActivationTransport } from '../client/transport.js';
import { verifyReply } from '../client/verify-response.js';
import type { HostAddress } from './host-address.js';

/**
 * "answers" with the verified key; "not-probe-capable": something answers but not as a host that
 * knows probes (an older Quorum, another RPC service); "bad-answer"; "no-answer".
 */
export type ProbeOutcome = DnsCheckAddressView['outcome'];

export const STATUS_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(QapStatus).map(([name, value]) => [value, name]),
);

export async function probeHost(
  target: HostAddress,
  options: { timeoutMs?: number; siteToken?: string | null; transport?: ActivationTransport } = {},
): Promise<ProbeOutcome> {
  const product = BUILTIN_PRODUCTS[0]!;
  const request: ActivationRequest = {
    version: 1,
    cmid: randomUUID(),
    previousCmid: null,
    machineName: 'quorum-dns-check',
    applicationId: product.applicationId,
    productId: product.id,
    productGroupId: product.groupId,
    licenseState: 0,
    remainingMinutes: 0,
    isVm: false,
    clientTime: Date.now(),
    nonce: new Uint8Array(randomBytes(16)),
    siteTokenMac: options.siteToken ? new Uint8Array(32) : null,
    probe: true,
  };
  let stub = encodeActivationRequest(request);
  if (options.siteToken) stub = withRequestMac(stub, computeSiteTokenMac(options.siteToken, stub));
  let bytes: Uint8Array;
  try {
    bytes = await (options.transport ?? rpcTransport).exchange(target, stub, options.timeoutMs ?? 3000);
  } catch (e) {
    const info = e instanceof QuorumError ? e : new QuorumError('RPC_CONNECTION_FAILED', String(e));
    if (info.code === 'RPC_FAULT' || info.code === 'RPC_BIND_REJECTED') {
      return { kind: 'not-probe-capable', message: info.message };
    }
    return { kind: 'no-answer', code: info.code, message: info.message };
  }
  try {
    const reply = decodeSignedResponse(bytes);
    const fingerprint = verifyReply(`${target.host}:${target.port}`, request, reply, { admin: [], tofu: {} });
    return {
      kind: 'answers',
      fingerprint,
      hostId: reply.response.hostId,
      status: reply.response.status,
      hostTime: reply.response.hostTime,
    };
  } catch (e) {
    const info = e instanceof QuorumError ? e : new QuorumError('PROTOCOL_INVALID', String(e));
    return { kind: 'bad-answer', code: info.code, message: info.message };
  }
}
