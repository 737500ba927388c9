/**
 * THE contract between the console and main. One map of invoke channels (name -> input schema +
 * result type) and one map of event channels (name -> payload type). Both transports (Electron
 * IPC and the headless WebSocket) and the service behind them are typed from these maps, and main
 * validates every input against its schema at runtime.
 */
import { z } from 'zod';
import { CLIENT_SORT_COLUMNS } from '../domain/records.js';
import type { LicenseState } from '../domain/license-state.js';
import type { ClientWindow, RequestLogEntry } from '../domain/records.js';
import type { HostEventView, HostStatusView } from './views.js';
import { SIM_EVENT_CHANNELS, SIM_INVOKE_CHANNELS, type SimEventPayloads } from './sim-channels.js';
import { KEY_CHANNELS, KEY_EVENT_CHANNELS, type KeyEventPayloads } from './keys-channels.js';
import { SETTINGS_CHANNELS, SETTINGS_EVENT_CHANNELS, type SettingsEventPayloads } from './settings-channels.js';
import { DNS_CHANNELS } from './dns-channels.js';

const uuidText = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');

export const clientWindowQuerySchema = z
  .object({
    offset: z.number().int().min(0).max(100_000_000),
    limit: z.number().int().min(1).max(1000),
    sort: z.object({ column: z.enum(CLIENT_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) }).strict(),
    filter: z
      .object({
        text: z.string().max(200).optional(),
        productId: uuidText.optional(),
        licenseState: z
          .union(
            [0, 1, 2, 3, 4, 5, 6].map((n) => z.literal(n as LicenseState)) as [
              z.ZodLiteral<LicenseState>,
              z.ZodLiteral<LicenseState>,
            ],
          )
          .optional(),
        isVm: z.boolean().optional(),
        seenWithinMs: z.number().int().min(0).optional(),
      })
      .strict(),
    after: z
      .object({ value: z.union([z.string().max(1000), z.number()]), cmid: uuidText.transform((s) => s.toLowerCase()) })
      .strict()
      .optional(),
  })
  .strict();

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
