import { afterEach, describe, expect, it } from 'vitest';
import {
  QapStatus,
  concatBytes,
  decodeSignedResponse,
  encodeActivationRequest,
  encodeRequest,
  type ActivationRequest,
} from '../../shared/protocol/index.js';
import { startHost, type HostRuntime } from '../../src-main/host/host-runtime.js';
import { writeHostSetting } from '../../src-main/host/host-settings.js';
import { rpcCall } from '../../src-main/rpc/rpc-client.js';
import { databasePath, openStore } from '../../src-main/store/open-store.js';
import { activateDataDir, activationRequest, tempDataDir } from '../support/activated-host.js';
import { RawClient, bindPdu } from '../integration/rpc/fixtures.js';
import { ATTACKER, sized } from './attack-fixtures.js';

let host: HostRuntime | undefined;
const raws: RawClient[] = [];

afterEach(async () => {
  for (const c of raws.splice(0)) c.close();
  await host?.close();
  host = undefined;
});

async function hostAllowing(perHour: number): Promise<HostRuntime> {
  const dataDir = tempDataDir();
  activateDataDir(dataDir);
  const store = openStore({ file: databasePath(dataDir) });
  writeHostSetting(store, 'new-clients-per-address-per-hour', String(perHour));
  store.close();
  return startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
}

/** One bound connection from the attacking address; `ask` sends a request and reads its status. */
async function attacker(port: number): Promise<(req: ActivationRequest) => Promise<QapStatus>> {
  const c = await RawClient.open(port, '127.0.0.1', ATTACKER);
  raws.push(c);
  c.send(bindPdu());
  expect((await c.next())?.kind).toBe('bind_ack');
  let callId = 2;
  return async (req) => {
    c.send(concatBytes(encodeRequest(callId++, 0, 0, encodeActivationRequest(req), 5_840)));
    const pdu = await c.next();
    if (pdu?.kind !== 'response') throw new Error(`expected a response, got ${pdu?.kind ?? 'a close'}`);
    return decodeSignedResponse(pdu.stub).response.status;
  };
}

describe('attack: one address invents machines to grow the inventory', () => {
  it('new CMIDs beyond the allowance per address per hour are refused and counted; renewals and other addresses are not', async () => {
    const allowance = 5;
    host = await hostAllowing(allowance);
    const port = host.addresses()[0]!.port;
    const ask = await attacker(port);
    const flood = sized(20, 2_000);
    const first = activationRequest();
    const statuses: QapStatus[] = [await ask(first)];
    for (let i = 1; i < flood; i++) statuses.push(await ask(activationRequest()));
    expect(statuses.slice(0, allowance)).toEqual(Array(allowance).fill(QapStatus.Ok));
    expect(statuses.slice(allowance)).toEqual(Array(flood - allowance).fill(QapStatus.RateLimited));

    // A machine already in the inventory renews; a new machine elsewhere activates.
    expect(await ask({ ...first, nonce: new Uint8Array(16).fill(7) })).toBe(QapStatus.Ok);
    const other = decodeSignedResponse(
      await rpcCall(host.addresses()[0]!, 0, encodeActivationRequest(activationRequest()), { timeoutMs: 3_000 }),
    );
    expect(other.response.status).toBe(QapStatus.Ok);

    // The inventory is written by the journal's next batch, as a console read would see it.
    await host.store.whenApplied();
    const rows = host.store.db.prepare('SELECT COUNT(*) AS n FROM clients WHERE address = ?').get(ATTACKER) as {
      n: number;
    };
    expect(rows.n).toBe(allowance);
    expect(host.engine.snapshotCounters().all.failed).toBe(flood - allowance);
  });
});
