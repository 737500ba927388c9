/**
 * The renderer's one way to main: `api`. It unwraps the transport's results and throws ApiError
 * carrying the host's message, so views show what went wrong and what to do.
 */
import { BRIDGE_METHODS, type BridgeEvent, type BridgeMethod, type QuorumBridge } from '../../../shared/ipc/bridge.js';
import type { InvokeInput, InvokeResult } from '../../../shared/ipc/contract.js';
import type { QuorumErrorInfo } from '../../../shared/domain/errors.js';
import { createWsBridge, type ConnectionState } from './ws-bridge.js';

export class ApiError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(info: QuorumErrorInfo) {
    super(info.hint ? `${info.message} ${info.hint}` : info.message);
    this.code = info.code;
    this.hint = info.hint;
  }
}

type Api = {
  [M in BridgeMethod]: (
    input: InvokeInput<(typeof BRIDGE_METHODS)[M]>,
  ) => Promise<InvokeResult<(typeof BRIDGE_METHODS)[M]>>;
} & Pick<QuorumBridge, BridgeEvent>;

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the headless console. */
    quorumBridge?: QuorumBridge;
  }
}

export const connection = $state<{ state: ConnectionState; reason?: string }>({ state: 'connecting' });

function wsUrl(): string {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('quorum-token', fromUrl);
    // Keep the token out of the address bar, history and screenshots.
    history.replaceState(null, '', location.pathname + location.hash);
  }
  const token = fromUrl ?? sessionStorage.getItem('quorum-token') ?? '';
  return `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
}

function chooseBridge(): QuorumBridge {
  if (window.quorumBridge) {
    connection.state = 'open';
    return window.quorumBridge;
  }
  return createWsBridge(wsUrl(), (s, reason) => {
    connection.state = s;
    connection.reason = reason;
  });
}

function unwrap(bridge: QuorumBridge): Api {
  const api: Record<string, unknown> = {};
  for (const method of Object.keys(BRIDGE_METHODS) as BridgeMethod[]) {
    api[method] = async (input: never) => {
      const outcome = await (
        bridge[method] as (i: never) => Promise<{ ok: boolean; value?: unknown; error?: QuorumErrorInfo }>
      )(input);
      if (!outcome.ok) throw new ApiError(outcome.error ?? { code: 'INTERNAL', message: 'Unknown error.' });
      return outcome.value;
    };
  }
  for (const key of Object.keys(bridge)) if (key.startsWith('on')) api[key] = bridge[key as BridgeEvent];
  return api as Api;
}

export const api: Api = unwrap(chooseBridge());
