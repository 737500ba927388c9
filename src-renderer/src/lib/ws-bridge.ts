/**
 * The WebSocket transport of the contract (headless mode). Requests carry an id; results come back
 * wrapped; events are pushed. Reconnects with backoff so a restarted host is picked up again.
 */
import { makeBridge, type QuorumBridge } from '../../../shared/ipc/bridge.js';
import type { EventChannel, InvokeChannel } from '../../../shared/ipc/contract.js';
import type { Wrapped } from '../../../shared/ipc/views.js';

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

/**
 * Why the host refuses this page's token, or null when it does not (or cannot be asked). The
 * browser hides the status of a refused WebSocket; the host answers the same check over HTTP.
 */
async function refusal(url: string): Promise<string | null> {
  try {
    const res = await fetch(url.replace(/^ws/, 'http'), { cache: 'no-store' });
    return res.status === 401 ? (await res.text()).trim() : null;
  } catch {
    return null;
  }
}

export function createWsBridge(url: string, onState: (s: ConnectionState, reason?: string) => void): QuorumBridge {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let backoffMs = 250;
  const pending = new Map<number, (w: Wrapped<unknown>) => void>();
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let opened: Promise<WebSocket> = connect();

  function connect(): Promise<WebSocket> {
    onState('connecting');
    return new Promise((resolve) => {
      const ws = new WebSocket(url);
      let wasOpen = false;
      ws.onopen = () => {
        wasOpen = true;
        socket = ws;
        backoffMs = 250;
        onState('open');
        resolve(ws);
        for (const set of listeners.values()) for (const l of set) l(undefined);
      };
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as {
          type: string;
          id?: number;
          outcome?: Wrapped<unknown>;
          channel?: EventChannel;
          payload?: unknown;
        };
        if (msg.type === 'result' && msg.id !== undefined && msg.outcome) {
          pending.get(msg.id)?.(msg.outcome);
          pending.delete(msg.id);
        } else if (msg.type === 'event' && msg.channel) {
          for (const l of listeners.get(msg.channel) ?? []) l(msg.payload);
        }
      };
      ws.onclose = () => {
        socket = null;
        onState('closed');
        for (const [id, settle] of pending) {
          settle({
            ok: false,
            error: { code: 'CONSOLE_DISCONNECTED', message: 'The connection to the host was lost.' },
          });
          pending.delete(id);
        }
        const retry = () => {
          setTimeout(() => {
            opened = connect();
            void opened.then(resolve);
          }, backoffMs);
          backoffMs = Math.min(backoffMs * 2, 5000);
        };
        if (wasOpen) return retry();
        // Never opened: a host that is down is retried; a refused token stays refused until the
        // person opens the right URL, so say why instead of "retrying" for ever.
        void refusal(url).then((reason) => (reason ? onState('refused', reason) : retry()));
      };
    });
  }

  async function invoke(channel: InvokeChannel, input: unknown): Promise<Wrapped<unknown>> {
    const ws = socket ?? (await opened);
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
    });
  }

  function subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  return makeBridge(invoke, subscribe);
}
