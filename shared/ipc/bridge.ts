/**
 * The named functions a transport gives the renderer: one per invoke channel, one subscriber per
 * event channel. The Electron preload and the WebSocket client both produce a QuorumBridge; neither
 * exposes a generic `invoke(channel, ...)`.
 */
import type { EventChannel, EventPayloads, InvokeChannel, InvokeInput, InvokeResult } from './contract.js';
import type { Wrapped } from './views.js';
import { SIM_BRIDGE_EVENTS, SIM_BRIDGE_METHODS } from './sim-channels.js';
import { KEY_BRIDGE_EVENTS, KEY_BRIDGE_METHODS } from './keys-channels.js';
import { SETTINGS_BRIDGE_EVENTS, SETTINGS_BRIDGE_METHODS } from './settings-channels.js';
import { DNS_BRIDGE_METHODS } from './dns-channels.js';
import { CLIENTS_BRIDGE_METHODS } from './clients-channels.js';
import { EVENTS_BRIDGE_METHODS } from './events-channels.js';
import { OVERVIEW_BRIDGE_METHODS } from './overview-channels.js';

export const BRIDGE_METHODS = {
  hostStatus: 'host:status',
  hostEvents: 'host:events',
  clientsWindow: 'clients:window',
  requestsWindow: 'requests:window',
  ...SIM_BRIDGE_METHODS,
  ...KEY_BRIDGE_METHODS,
  ...SETTINGS_BRIDGE_METHODS,
  ...DNS_BRIDGE_METHODS,
  ...EVENTS_BRIDGE_METHODS,
  ...CLIENTS_BRIDGE_METHODS,
  ...OVERVIEW_BRIDGE_METHODS,
} as const satisfies Record<string, InvokeChannel>;

export const BRIDGE_EVENTS = {
  onClientsChanged: 'clients:changed',
  onHostStatusChanged: 'host:status-changed',
  onHostEvent: 'host:event',
  ...SIM_BRIDGE_EVENTS,
  ...KEY_BRIDGE_EVENTS,
  ...SETTINGS_BRIDGE_EVENTS,
} as const satisfies Record<string, EventChannel>;

export type BridgeMethod = keyof typeof BRIDGE_METHODS;
export type BridgeEvent = keyof typeof BRIDGE_EVENTS;

export type QuorumBridge = {
  [M in BridgeMethod]: (
    input: InvokeInput<(typeof BRIDGE_METHODS)[M]>,
  ) => Promise<Wrapped<InvokeResult<(typeof BRIDGE_METHODS)[M]>>>;
} & {
  [E in BridgeEvent]: (listener: (payload: EventPayloads[(typeof BRIDGE_EVENTS)[E]]) => void) => () => void;
};

/** Builds a bridge from two transport primitives; used by the WebSocket client and the preload alike. */
export function makeBridge(
  invoke: (channel: InvokeChannel, input: unknown) => Promise<Wrapped<unknown>>,
  subscribe: (channel: EventChannel, listener: (payload: unknown) => void) => () => void,
): QuorumBridge {
  const bridge: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(BRIDGE_METHODS)) {
    bridge[method] = (input: unknown) => invoke(channel, input);
  }
  for (const [method, channel] of Object.entries(BRIDGE_EVENTS)) {
    bridge[method] = (listener: (payload: unknown) => void) => subscribe(channel, listener);
  }
  return bridge as QuorumBridge;
}
