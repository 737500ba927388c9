/** The agent's transport: one DCE/RPC call (opnum Activate) per exchange, over TCP. */
import { QAP_OPNUM_ACTIVATE } from '../../shared/protocol/qap-types.js';
import { rpcCall } from '../rpc/rpc-client.js';
import type { ActivationTransport } from './transport.js';

export const rpcTransport: ActivationTransport = {
  exchange: (target, stub, timeoutMs) =>
    rpcCall({ host: target.host, port: target.port }, QAP_OPNUM_ACTIVATE, stub, { timeoutMs }),
};
