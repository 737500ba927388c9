/**
 * THE contract between the console and main. One map of invoke channels (name -> input schema +
 * result type) and one map of event channels (name -> payload type). Both transports (Electron
 * IPC and the headless WebSocket) and the service behind them are typed from these maps, and main
 * validates every input against its schema at runtime.
 */
import { z } from 'zod';
import type { ClientWindow, RequestLogEntry } from '../domain/records.js';
import type { HostEventView, HostStatusView } from './views.js';
import { SIM_EVENT_CHANNELS, SIM_INVOKE_CHANNELS, type SimEventPayloads } from './sim-channels.js';
import { KEY_CHANNELS, KEY_EVENT_CHANNELS, type KeyEventPayloads } from './keys-channels.js';
import { SETTINGS_CHANNELS, SETTINGS_EVENT_CHANNELS, type SettingsEventPayloads } from './settings-channels.js';
import { DNS_CHANNELS } from './dns-channels.js';
import { clientWindowQuerySchema } from './client-query-schema.js';
import { CLIENTS_CHANNELS } from './clients-channels.js';
import { EVENTS_CHANNELS } from './events-channels.js';
import { OVERVIEW_CHANNELS } from './overview-channels.js';

export { clientWindowQuerySchema };

export const requestLogQuerySchema = z
  .object({
    offset: z.number().int().min(0).max(100_000_000),
    limit: z.number().int().min(1).max(1000),
  })
  .strict();

export const emptyInputSchema = z.object({}).strict();

export interface RequestLogPage {
  rows: RequestLogEntry[];
  total: number;
  offset: number;
}

/** Phantom marker carrying a result type in a value-level map. */
export interface ResultOf<T> {
  readonly __result?: T;
}
const result = <T>(): ResultOf<T> => ({});

export const INVOKE_CHANNELS = {
  'host:status': { input: emptyInputSchema, result: result<HostStatusView>() },
  'host:events': { input: emptyInputSchema, result: result<HostEventView[]>() },
  'clients:window': { input: clientWindowQuerySchema, result: result<ClientWindow>() },
  'requests:window': { input: requestLogQuerySchema, result: result<RequestLogPage>() },
  ...SIM_INVOKE_CHANNELS,
  ...KEY_CHANNELS,
  ...SETTINGS_CHANNELS,
  ...DNS_CHANNELS,
  ...EVENTS_CHANNELS,
  ...CLIENTS_CHANNELS,
  ...OVERVIEW_CHANNELS,
} as const;

export type InvokeChannel = keyof typeof INVOKE_CHANNELS;
export type InvokeInput<C extends InvokeChannel> = z.infer<(typeof INVOKE_CHANNELS)[C]['input']>;
export type InvokeResult<C extends InvokeChannel> =
  (typeof INVOKE_CHANNELS)[C]['result'] extends ResultOf<infer R> ? R : never;

export interface EventPayloads extends SimEventPayloads, KeyEventPayloads, SettingsEventPayloads {
  /** Coalesced: at most one every 250 ms. The renderer re-reads its window. */
  'clients:changed': { changed: number; at: number };
  'host:status-changed': HostStatusView;
  'host:event': HostEventView;
}
export type EventChannel = keyof EventPayloads;
export const EVENT_CHANNELS: readonly EventChannel[] = [
  'clients:changed',
  'host:status-changed',
  'host:event',
  ...SIM_EVENT_CHANNELS,
  ...KEY_EVENT_CHANNELS,
  ...SETTINGS_EVENT_CHANNELS,
];

/** The service behind both transports implements exactly this. */
export type ConsoleContract = {
  [C in InvokeChannel]: (input: InvokeInput<C>) => Promise<InvokeResult<C>>;
};

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(INVOKE_CHANNELS, name);
}
