/**
 * Opnum 0: bytes in, signed bytes out. decode -> admission -> engine -> durable commit -> sign.
 * The reply leaves only after the store has committed the request, so a granted activation is
 * never lost to a crash after the client saw it (docs/protocol.md, "Processing a request").
 */
import type { Clock } from '../../shared/domain/clock.js';
import type { RequestResult } from '../../shared/domain/records.js';
import { DEFAULT_ACTIVATION_INTERVAL_MIN, DEFAULT_RENEWAL_INTERVAL_MIN } from '../../shared/domain/timings.js';
import { SIGNATURE_LENGTH, decodeActivationRequest, encodeResponseBody } from '../../shared/protocol/qap-codec.js';
import { QapStatus, type ActivationRequest, type ActivationResponse } from '../../shared/protocol/qap-types.js';
import type { ActivationDecision, ActivationEngine, ActivationInput } from '../engine/types.js';
import type { ActivationRecord, ActivationStore, RefusalRecord } from '../store/types.js';
import type { Admission } from './admission.js';
import type { HostIdentity } from './identity.js';

export interface ActivationHandlerDeps {
  engine: ActivationEngine;
  /** commitRefusal, when the store has it, persists refused requests in the request log. */
  store: ActivationStore & { commitRefusal?(record: RefusalRecord): Promise<void> };
  identity: HostIdentity;
  admission?: Admission;
  clock: Clock;
  onHandled?: (record: ActivationRecord) => void;
}

export type ActivationHandler = (stub: Uint8Array, ctx: { remoteAddress: string }) => Promise<Uint8Array>;

const STATUS_OF: Readonly<Record<RequestResult, QapStatus>> = {
  granted: QapStatus.Ok,
  'count-insufficient': QapStatus.Ok,
  'host-not-activated': QapStatus.HostNotActivated,
  'unknown-product': QapStatus.UnknownProduct,
  'product-not-covered': QapStatus.ProductNotCovered,
  'admission-refused': QapStatus.AdmissionRefused,
  'rate-limited': QapStatus.RateLimited,
  'invalid-request': QapStatus.InvalidRequest,
};

export function statusOf(result: RequestResult): QapStatus {
  return STATUS_OF[result];
}

function toInput(req: ActivationRequest, address: string): ActivationInput {
  return {
    cmid: req.cmid,
    previousCmid: req.previousCmid,
    machineName: req.machineName,
    address,
    applicationId: req.applicationId,
    productId: req.productId,
    productGroupId: req.productGroupId,
    licenseState: req.licenseState,
    remainingMinutes: req.remainingMinutes,
    isVm: req.isVm,
    clientTime: req.clientTime,
  };
}

export function createActivationHandler(deps: ActivationHandlerDeps): ActivationHandler {
  const { engine, store, identity, admission, clock } = deps;

  const sign = (
    req: ActivationRequest,
    status: QapStatus,
    d: Omit<ActivationDecision, 'result'> | null,
  ): Uint8Array => {
    const response: ActivationResponse = {
      version: 1,
      status,
      hostPublicKey: identity.publicKey,
      hostId: identity.hostId,
      cmid: req.cmid,
      nonce: req.nonce,
      clientTime: req.clientTime,
      count: d?.count ?? 0,
      threshold: d?.threshold ?? 0,
      granted: d?.granted ?? false,
      // A refused client retries on the activation interval, as after any failed attempt.
      activationIntervalMin: d?.activationIntervalMin ?? DEFAULT_ACTIVATION_INTERVAL_MIN,
      renewalIntervalMin: d?.renewalIntervalMin ?? DEFAULT_RENEWAL_INTERVAL_MIN,
      validityMin: d?.validityMin ?? 0,
      hostTime: d?.hostTime ?? clock.now(),
    };
    // Encoded once: the signed bytes and the bytes sent are the same body (encodeSignedResponse layout).
    const body = encodeResponseBody(response);
    const signed = new Uint8Array(body.byteLength + SIGNATURE_LENGTH);
    signed.set(body, 0);
    signed.set(identity.sign(body), body.byteLength);
    return signed;
  };

  return async (stub, ctx) => {
    const at = clock.now();
    let req: ActivationRequest;
    try {
      req = decodeActivationRequest(stub);
    } catch (e) {
      // Nothing trustworthy to echo (no nonce): the listener answers with rpc_x_bad_stub_data.
      engine.refuse({}, 'invalid-request');
      await store.commitRefusal?.({ at, result: 'invalid-request', address: ctx.remoteAddress });
      throw e;
    }
    if (req.probe === true) {
      // A probe (`quorum dns check`) learns the host's signed identity; it never reaches the
      // engine or the store, so no count, counter or log line moves (docs/protocol.md, "Probe requests").
      const verdict = admission?.check(stub, req.siteTokenMac, ctx.remoteAddress);
      return sign(req, verdict && !verdict.admitted ? verdict.status : QapStatus.Ok, null);
    }
    if (admission) {
      const verdict = admission.check(stub, req.siteTokenMac, ctx.remoteAddress);
      if (!verdict.admitted) {
        const partial = { applicationId: req.applicationId, productId: req.productId, licenseState: req.licenseState };
        engine.refuse(partial, verdict.result);
        await store.commitRefusal?.({
          at,
          result: verdict.result,
          address: ctx.remoteAddress,
          cmid: req.cmid,
          machineName: req.machineName,
          ...partial,
          isVm: req.isVm,
          clientTime: req.clientTime,
          remainingMinutes: req.remainingMinutes,
        });
        return sign(req, verdict.status, null);
      }
    }
    const input = toInput(req, ctx.remoteAddress);
    const { decision, changes } = engine.handle(input);
    const record: ActivationRecord = { at, input, decision, changes };
    await store.commitActivation(record);
    deps.onHandled?.(record);
    return sign(req, statusOf(decision.result), decision);
  };
}
