/** A test host (real codec and signatures) behind the real DCE/RPC listener on loopback. */
import type { Clock } from '../../../../shared/domain/clock.js';
import { startRpcListener, type RpcListener } from '../../../../src-main/rpc/listener.js';
import { createTestHost, type Behaviour, type TestHost } from '../../../unit/client/support/test-host.js';

export interface RpcTestHost {
  host: TestHost;
  listener: RpcListener;
  port: number;
}

export async function startRpcTestHost(
  clock: Clock,
  seedByte: number,
  behaviour: Behaviour = {},
  port = 0,
  address: '127.0.0.1' | '::1' = '127.0.0.1',
): Promise<RpcTestHost> {
  const host = createTestHost(clock, seedByte, behaviour);
  const listener = await startRpcListener({
    listen: [{ host: address, port }],
    onActivate: async (stub) => host.handle(stub),
  });
  return { host, listener, port: listener.addresses()[0]!.port };
}

/** A loopback port with nothing listening (bound, then released). */
export async function deadPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}
