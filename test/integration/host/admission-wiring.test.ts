// Admission as `quorum serve --allow/--site-token-file` sets it up: refused requests get the
// specific status and count as failed; a bad range stops the host at start with a clear line.
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeSignedResponse,
  encodeActivationRequest,
  QapStatus,
  withRequestMac,
} from '../../../shared/protocol/index.js';
import { computeSiteTokenMac } from '../../../src-main/host/admission.js';
import { startHost, type HostRuntime } from '../../../src-main/host/host-runtime.js';
import { rpcCall } from '../../../src-main/rpc/rpc-client.js';
import { main } from '../../../src-main/cli/main.js';
import { activateDataDir, activationRequest, tempDataDir } from '../../support/activated-host.js';

let host: HostRuntime | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function startWith(admission: { siteToken?: string; allowedRanges?: string[] }): Promise<HostRuntime> {
  const dataDir = tempDataDir();
  activateDataDir(dataDir, 'server');
  host = await startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }], admission });
  return host;
}

async function activate(h: HostRuntime, stub: Uint8Array) {
  const reply = await rpcCall({ host: '127.0.0.1', port: h.addresses()[0]!.port }, 0, stub);
  return decodeSignedResponse(reply).response;
}

describe('admission wiring', () => {
  it('refuses clients outside the allowed ranges and counts them as failed', async () => {
    const h = await startWith({ allowedRanges: ['10.0.0.0/8'] });
    const response = await activate(h, encodeActivationRequest(activationRequest('server')));
    expect(response.status).toBe(QapStatus.AdmissionRefused);
    expect(response.granted).toBe(false);
    expect(h.engine.status().counters.all).toMatchObject({ total: 1, failed: 1 });
  });

  it('admits loopback when it is in the ranges', async () => {
    const h = await startWith({ allowedRanges: ['10.0.0.0/8', '127.0.0.0/8'] });
    const response = await activate(h, encodeActivationRequest(activationRequest('server')));
    expect(response.status).toBe(QapStatus.Ok);
    expect(response.count).toBe(1);
  });

  it('requires the site token MAC when a token is set', async () => {
    const h = await startWith({ siteToken: 'office-secret-token' });
    const bare = await activate(h, encodeActivationRequest(activationRequest('server')));
    expect(bare.status).toBe(QapStatus.AdmissionRefused);

    const draft = encodeActivationRequest(activationRequest('server', { siteTokenMac: new Uint8Array(32) }));
    const signed = withRequestMac(draft, computeSiteTokenMac('office-secret-token', draft));
    expect((await activate(h, signed)).status).toBe(QapStatus.Ok);

    const forged = withRequestMac(draft, computeSiteTokenMac('guessed-token', draft));
    expect((await activate(h, forged)).status).toBe(QapStatus.AdmissionRefused);
  });

  it('stops `quorum serve` at start on a range that is not one', async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    const code = await main(['serve', '--data-dir', tempDataDir(), '--allow', '10.0.0.0/33', '--console', 'off'], io);
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/"10\.0\.0\.0\/33" is not an address range/);
  });
});
