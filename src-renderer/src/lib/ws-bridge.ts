/**
 * The WebSocket transport of the contract (headless mode). Requests carry an id; results come back
 * wrapped; events are pushed. Reconnects with backoff so a restarted host is picked up again.
 */
import { makeBridge, type QuorumBridge } from '../../../shared/ipc/bridge.js';
import type { EventChannel, InvokeChannel } from '../../../shared/ipc/contract.js';
import type { Wrapped } from '../../../shared/ipc/views.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export function createWsBridge(url: string, onState: (s: ConnectionState) => void): QuorumBridge {
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
      ws.onopen = () => {
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
        setTimeout(() => {
          opened = connect();
          void opened.then(resolve);
        }, backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
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
