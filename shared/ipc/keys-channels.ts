/**
 * The console's key operations (install, activate online and offline, reactivate, uninstall,
 * issue from the embedded authority). Spread into INVOKE_CHANNELS; main validates each payload with
 * these schemas and runs the same operations as `quorum key ...` on the running host's connection.
 */
import { z } from 'zod';
import { PRODUCT_FAMILIES, type ProductFamily } from '../domain/products.js';
import { KEY_LENGTH, MAX_KEY_GENERATION } from '../keys/index.js';
import type { ResultOf } from './contract.js';
import type { HostKeyView } from './views.js';

const result = <T>(): ResultOf<T> => ({});

/** The first activation plus 9 reactivations: the one a person confirmed spending (1..9). */
export const REACTIVATIONS_PER_HOST = 9;

/** Typed text: generous for separators and stray spaces, bounded so a payload cannot be huge. */
const keyText = z
  .string()
  .max(KEY_LENGTH * 4, 'a host key is 25 characters')
  .refine((s) => s.trim().length > 0, 'type the host key');
const idText = (what: string) =>
  z
    .string()
    .max(200, `the ${what} is too long`)
    .refine((s) => s.trim().length > 0, `type the ${what}`);
const reactivation = z.number().int().min(1).max(REACTIVATIONS_PER_HOST);

export const keyInstallSchema = z.object({ key: keyText }).strict();
/** `reactivation`: the reactivation the person confirmed spending; required once the host is activated. */
export const keyActivateSchema = z.object({ reactivation: reactivation.optional() }).strict();
/**
 * Online activation: with the authority of this data directory, or with `authorityUrl` the
 * vendor's authority over the network, whose key the host pins (`authorityPin`, or on first use).
 */
export const keyActivateOnlineSchema = z
  .object({
    reactivation: reactivation.optional(),
    authorityUrl: z
      .string()
      .max(500)
      .regex(/^https?:\/\/\S+$/i, 'the authority is a URL: https://HOST[:PORT]')
      .optional(),
    authorityPin: z.string().max(200).optional(),
  })
  .strict();
export const keyCompleteOfflineSchema = z.object({ confirmationId: idText('confirmation ID') }).strict();
export const keyIssueSchema = z
  .object({
    family: z.enum(PRODUCT_FAMILIES as [ProductFamily, ...ProductFamily[]]),
    generation: z.number().int().min(1).max(MAX_KEY_GENERATION).optional(),
  })
  .strict();

/** What a key operation did, and the key as it is now. */
export interface KeyActionResult {
  /** One sentence for the person: what happened, and what is next. */
  message: string;
  hostKey: HostKeyView | null;
}

export interface OfflineRequest {
  /** The installation ID in its groups of 7 digits, to read to the authority. */
  installationId: string;
  groups: string[];
  hostKey: HostKeyView | null;
}

export interface IssuedKey {
  key: string;
  family: ProductFamily;
  generation: number;
  serial: number;
  covers: string;
}

export const KEY_CHANNELS = {
  'keys:install': { input: keyInstallSchema, result: result<KeyActionResult>() },
  'keys:activate-online': { input: keyActivateOnlineSchema, result: result<KeyActionResult>() },
  'keys:start-offline': { input: keyActivateSchema, result: result<OfflineRequest>() },
  'keys:complete-offline': { input: keyCompleteOfflineSchema, result: result<KeyActionResult>() },
  'keys:uninstall': { input: z.object({}).strict(), result: result<KeyActionResult>() },
  'keys:issue': { input: keyIssueSchema, result: result<IssuedKey>() },
} as const;

export const KEY_BRIDGE_METHODS = {
  keysInstall: 'keys:install',
  keysActivateOnline: 'keys:activate-online',
  keysStartOffline: 'keys:start-offline',
  keysCompleteOffline: 'keys:complete-offline',
  keysUninstall: 'keys:uninstall',
  keysIssue: 'keys:issue',
} as const;

export interface KeyEventPayloads {
  /** Pushed right after a key operation changed the installed key or its activation. */
  'keys:changed': HostKeyView | null;
}
export const KEY_EVENT_CHANNELS = ['keys:changed'] as const;
export const KEY_BRIDGE_EVENTS = { onKeysChanged: 'keys:changed' } as const;
