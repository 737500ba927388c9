/**
 * The console's settings page: every host setting `quorum settings` shows, read and changed through
 * the running host, which checks each value and applies it (intervals and admission at once, the
 * listening port and addresses by restarting the listener).
 */
import { z } from 'zod';
import type { ResultOf } from './contract.js';

const result = <T>(): ResultOf<T> => ({});

export const SETTING_NAMES = [
  'activation-interval',
  'renewal-interval',
  'request-log-max-age',
  'request-log-max-rows',
  'new-clients-per-address-per-hour',
  'connections-per-address',
  'calls-per-address-per-second',
  'allowed-ranges',
  'site-token',
  'port',
  'listen-addresses',
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

/** When a running host applies a change. */
export type SettingApplies = 'at-once' | 'next-start' | 'listener-restart';

export interface SettingView {
  name: SettingName;
  /** Minutes, days, rows or a port number; lists of addresses or ranges; whether a site token is required. */
  value: number | string[] | boolean;
  /** The value as `quorum settings set NAME VALUE` takes it. */
  text: string;
  isDefault: boolean;
  unit: string;
  summary: string;
  /** The values it takes and its default, for a form: "15 to 43200 minutes (30 days); default 120". */
  range: string;
  applies: SettingApplies;
  /** A stored value that is not valid (hand-edited or damaged): the default is used instead. */
  ignored?: string;
}

export interface SettingsView {
  settings: SettingView[];
  /** Where the activation listener is listening now. */
  listening: string[];
}

export interface SettingChangeResult {
  setting: SettingView;
  /** What the host did with the change, in one sentence ("Listening on 127.0.0.1:1700."). */
  applied: string;
  settings: SettingsView;
}

export const settingSetSchema = z
  .object({
    name: z.enum(SETTING_NAMES),
    /** As typed; lists may be separated by commas, spaces or new lines. */
    value: z.string().max(4000, 'the value is too long'),
  })
  .strict();

export const SETTINGS_CHANNELS = {
  'settings:get': { input: z.object({}).strict(), result: result<SettingsView>() },
  'settings:set': { input: settingSetSchema, result: result<SettingChangeResult>() },
  /** The site token itself, shown on request only (clients need it to be admitted). */
  'settings:site-token': { input: z.object({}).strict(), result: result<{ token: string | null }>() },
} as const;

export const SETTINGS_BRIDGE_METHODS = {
  settingsGet: 'settings:get',
  settingsSet: 'settings:set',
  settingsSiteToken: 'settings:site-token',
} as const;

export interface SettingsEventPayloads {
  'settings:changed': SettingsView;
}
export const SETTINGS_EVENT_CHANNELS = ['settings:changed'] as const;
export const SETTINGS_BRIDGE_EVENTS = { onSettingsChanged: 'settings:changed' } as const;
