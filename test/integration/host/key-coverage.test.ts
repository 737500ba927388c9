// Through a real host: a desktop key's host answers an office client with ProductNotCovered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSignedResponse, encodeActivationRequest, QapStatus } from '../../../shared/protocol/index.js';
import type { HostRuntime } from '../../../src-main/host/host-runtime.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { activationRequest, startActivatedHost } from '../../support/activated-host.js';

let host: HostRuntime;
beforeAll(async () => {
  host = await startActivatedHost('desktop');
});
afterAll(() => host.close());

async function statusFor(productName: string): Promise<number> {
  const stub = encodeActivationRequest(activationRequest(productName));
  const reply = await rpcCall({ host: '127.0.0.1', port: host.addresses()[0]!.port }, 0, stub);
  return decodeSignedResponse(reply).response.status;
}

describe('key coverage on the wire', () => {
  it('serves what the key covers and refuses the rest with its own status', async () => {
    expect(await statusFor('desktop')).toBe(QapStatus.Ok);
    expect(await statusFor('office')).toBe(QapStatus.ProductNotCovered);
    expect(await statusFor('server')).toBe(QapStatus.ProductNotCovered);
    const rows = host.store.queryRequestLog({ offset: 0, limit: 10 }).rows.map((r) => r.result);
    expect(rows.sort()).toEqual(['count-insufficient', 'product-not-covered', 'product-not-covered']);
  });
});
