/**
 * Opnum 0: bytes in, signed bytes out. decode -> admission -> engine -> durable commit -> sign.
 * The reply leaves only after the store has committed the request, so a granted activation is
 * never lost to a crash after the client saw it (docs/protocol.md, "Processing a request").
 */
import type { Clock } from '../../shared/domain/clock.js';
import type { RequestResult } from '../../shared/domain/records.js';
import { SIGNATURE_LENGTH, decodeActivationRequest, encodeResponseBody } from '../../shared/protocol/qap-codec.js';
import { QapStatus, type ActivationRequest, type ActivationResponse } from '../../shared/protocol/qap-types.js';
import type { ActivationDecision, ActivationEngine, ActivationInput } from '../engine/types.js';
import type { ActivationRecord, ActivationStore, RefusalRecord } from '../store/types.js';
import type { Admission } from './admission.js';
import type { NewClientGuard } from './new-client-guard.js';
import type { HostIdentity } from './identity.js';

export interface ActivationHandlerDeps {
  engine: ActivationEngine;
  /** commitRefusal, when the store has it, persists refused requests in the request log. */
  store: ActivationStore & { commitRefusal?(record: RefusalRecord): Promise<void> };
  identity: HostIdentity;
  admission?: Admission;
  /** The inventory-growth guard: new machines per address per hour. */
  newClients?: NewClientGuard;
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

/** A host's answer to one decoded request, before it is signed (the simulator uses it as is). */
export type RequestResponder = (req: ActivationRequest, ctx: { remoteAddress: string }) => Promise<ActivationResponse>;

/**
 * The decision half of the handler: engine -> durable commit -> the response to sign. The wire
 * handler below and the simulator's in-process hosts share it, so both give the same answers.
 */
export function createResponder(
  deps: Pick<ActivationHandlerDeps, 'engine' | 'identity' | 'clock' | 'onHandled'> & {
    store: Pick<ActivationStore, 'commitActivation'>;
  },
): RequestResponder {
  const { engine, store, identity, clock } = deps;
  return async (req, ctx) => {
    const at = clock.now();
    const input = toInput(req, ctx.remoteAddress);
    const { decision, changes } = engine.handle(input);
    const record: ActivationRecord = { at, input, decision, changes };
    await store.commitActivation(record);
    deps.onHandled?.(record);
    return responseTo(req, identity, engine, statusOf(decision.result), decision, at);
  };
}

/**
 * The response fields follow docs/protocol.md §5.1: a refusal (status 1-6) carries count,
 * threshold and validity 0, so it tells an unadmitted client nothing about the host's counts,
 * and validity is non-zero only when granted; every response carries the host's intervals.
 */
function responseTo(
  req: ActivationRequest,
  identity: HostIdentity,
  engine: Pick<ActivationEngine, 'intervals'>,
  status: QapStatus,
  d: ActivationDecision | null,
  now: number,
): ActivationResponse {
  const processed = status === QapStatus.Ok && d !== null;
  const granted = processed && d.granted;
  return {
    version: 1,
    status,
    hostPublicKey: identity.publicKey,
    hostId: identity.hostId,
    cmid: req.cmid,
    nonce: req.nonce,
    clientTime: req.clientTime,
    count: processed ? d.count : 0,
    threshold: processed ? d.threshold : 0,
    granted,
    activationIntervalMin: d?.activationIntervalMin ?? engine.intervals.activationIntervalMin,
    renewalIntervalMin: d?.renewalIntervalMin ?? engine.intervals.renewalIntervalMin,
    validityMin: granted ? d.validityMin : 0,
    hostTime: d?.hostTime ?? now,
  };
}

export function createActivationHandler(deps: ActivationHandlerDeps): ActivationHandler {
  const { engine, store, identity, admission, newClients, clock } = deps;
  const respond = createResponder(deps);

  const sign = (response: ActivationResponse): Uint8Array => {
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
      return sign(
        responseTo(req, identity, engine, verdict && !verdict.admitted ? verdict.status : QapStatus.Ok, null, at),
      );
    }
    // Refused before the engine: counted as failed, logged with what the request said, signed.
    const refuse = async (result: RequestResult, status: QapStatus): Promise<Uint8Array> => {
      const partial = { applicationId: req.applicationId, productId: req.productId, licenseState: req.licenseState };
      engine.refuse(partial, result);
      await store.commitRefusal?.({
        at,
        result,
        address: ctx.remoteAddress,
        cmid: req.cmid,
        machineName: req.machineName,
        ...partial,
        isVm: req.isVm,
        clientTime: req.clientTime,
        remainingMinutes: req.remainingMinutes,
      });
      return sign(responseTo(req, identity, engine, status, null, at));
    };
    if (admission) {
      const verdict = admission.check(stub, req.siteTokenMac, ctx.remoteAddress);
      if (!verdict.admitted) return refuse(verdict.result, verdict.status);
    }
    if (newClients && !newClients.admit(ctx.remoteAddress, req.cmid)) {
      return refuse('rate-limited', QapStatus.RateLimited);
    }
    return sign(await respond(req, ctx));
  };
}
