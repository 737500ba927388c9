import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSignedResponse, fromHex, toHex } from '../../../shared/protocol/index.js';
import { verifyHostSignature } from '../../../src-main/host/identity.js';
import type { RpcListener } from '../../../src-main/rpc/listener.js';
import { loadVectors, startTestListener } from './fixtures.js';

const script = fileURLToPath(new URL('./impacket_client.py', import.meta.url));
const vectors = loadVectors();

function impacket(port: number, mode: string): Promise<{ ok: boolean; response?: string; error?: string }> {
  return new Promise((resolve, reject) => {
    // `timeout`: impacket's recv() can spin forever if a peer closes mid-response.
    execFile(
      'timeout',
      ['20', '/usr/bin/python3', script, String(port), mode, vectors.request.hex],
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        if (!line.startsWith('{')) reject(new Error(`impacket failed (${err?.message ?? ''}): ${stderr}`));
        else resolve(JSON.parse(line) as { ok: boolean; response?: string; error?: string });
      },
    );
  });
}

let listener: RpcListener;
let port: number;

beforeAll(async () => {
  listener = await startTestListener();
  port = listener.addresses()[0]!.port;
});
afterAll(() => listener.close());

describe('impacket against the QAP listener', () => {
  it('binds, calls opnum 0 with the vector request and gets a response whose signature verifies', async () => {
    const r = await impacket(port, 'activate');
    expect(r.ok).toBe(true);
    const d = decodeSignedResponse(fromHex(r.response!));
    expect(toHex(d.response.hostPublicKey)).toBe(vectors.hostPublicKeyHex);
    expect(verifyHostSignature(fromHex(vectors.hostPublicKeyHex), d.signedBytes, d.signature)).toBe(true);
    expect(d.response.nonce).toEqual(fromHex('00112233445566778899aabbccddeeff'));
  });

  it('gets a provider rejection for a wrong interface UUID', async () => {
    const r = await impacket(port, 'wrong-uuid');
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/provider_rejection; abstract_syntax_not_supported/);
  });

  it('gets nca_s_op_rng_error for opnum 1', async () => {
    const r = await impacket(port, 'opnum1');
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('nca_s_op_rng_error') });
  });

  it('with set_max_fragment_size(64) the request is reassembled and answered', async () => {
    const before = listener.stats().responses;
    const r = await impacket(port, 'small-fragments');
    expect(r.ok).toBe(true);
    const d = decodeSignedResponse(fromHex(r.response!));
    expect(verifyHostSignature(d.response.hostPublicKey, d.signedBytes, d.signature)).toBe(true);
    expect(listener.stats().responses).toBe(before + 1);
  });
});
