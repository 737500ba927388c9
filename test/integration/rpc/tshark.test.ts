import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex } from '../../../shared/protocol/index.js';
import type { RpcListener } from '../../../src-main/rpc/listener.js';
import { openRpcSession } from '../../../src-main/rpc/rpc-client.js';
import { loadVectors, startTestListener } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'quorum-tshark-'));
let listener: RpcListener | undefined;
afterAll(async () => {
  await listener?.close();
  rmSync(dir, { recursive: true, force: true });
});

function tshark(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('timeout', ['30', 'tshark', ...args], { maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`tshark ${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Starts a capture and resolves once tshark says it is capturing. */
function capture(port: number, file: string): Promise<{ stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('timeout', ['60', 'tshark', '-i', 'lo', '-f', `tcp port ${port}`, '-w', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tshark did not start capturing: ${err}`)), 20_000);
    proc.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (/Capturing on/.test(err)) {
        clearTimeout(timer);
        // tshark prints this a moment before its capture is live on the interface.
        setTimeout(
          () =>
            resolve({
              stop: async () => {
                // Let the last packets reach the capture buffer before stopping it.
                await new Promise((r) => setTimeout(r, 500));
                proc.kill('SIGINT');
                await exited;
              },
            }),
          1_500,
        );
      }
    });
    proc.once('error', reject);
  });
}

describe('tshark as the protocol referee', () => {
  it('decodes a captured session (bind, bind_ack, request, response, fault) with no malformed packet', async () => {
    listener = await startTestListener();
    const target = listener.addresses()[0]!;
    const file = join(dir, 'qap.pcapng');
    const cap = await capture(target.port, file);
    const session = await openRpcSession(target);
    await session.call(0, fromHex(loadVectors().request.hex));
    await expect(session.call(1, new Uint8Array(8))).rejects.toMatchObject({ code: 'RPC_FAULT' });
    session.close();
    await cap.stop();

    const decode = ['-r', file, '-d', `tcp.port==${target.port},dcerpc`];
    const fields = ['-T', 'fields', '-E', 'separator=|', '-e', 'dcerpc.pkt_type', '-e', 'dcerpc.cn_status'];
    const more = ['-e', 'dcerpc.cn_ack_result', '-e', 'dcerpc.cn_bind_to_uuid'];
    const rows = (await tshark([...decode, '-Y', 'dcerpc', ...fields, ...more])).split('\n').filter(Boolean);
    // 11 bind (QAP interface), 12 bind_ack (accepted), 0 request, 2 response, 0 request, 3 fault (nca_s_op_rng_error)
    expect(rows).toEqual([
      '11|||fba2b687-4925-4024-aa47-172873372121',
      '12||0|',
      '0|||',
      '2|||',
      '0|||',
      '3|0x1c010002||',
    ]);
    expect(await tshark([...decode, '-Y', '_ws.malformed || _ws.expert.severity >= 0x00800000'])).toBe('');
  });
});
