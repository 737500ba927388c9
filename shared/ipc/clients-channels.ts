/** Contract channels of the Clients view beyond its window: a client's history and the export (spread into INVOKE_CHANNELS). */
import { z } from 'zod';
import type { RequestLogEntry } from '../domain/records.js';
import type { ResultOf } from './contract.js';
import { clientWindowQuerySchema, uuidText } from './client-query-schema.js';

// Type-only import of the contract: contract.ts spreads this file's map, so a value import would be a cycle.
const result = <T>(): ResultOf<T> => ({});

const cmidText = uuidText.transform((s) => s.toLowerCase());

/**
 * The most rows an export of the console's view holds: the file crosses the transport as one message
 * (about 10 MB at this size), under the headless socket's 16 MB limit of unread replies. The CLI
 * (`quorum clients --csv`) streams everything.
 */
export const CLIENT_EXPORT_MAX_ROWS = 50_000;

export interface ClientExport {
  /** A file name to offer: "quorum-clients-20261202T1200Z.csv". */
  fileName: string;
  mimeType: string;
  content: string;
  rows: number;
  /** True when the view held more than CLIENT_EXPORT_MAX_ROWS clients and the export stopped there. */
  truncated: boolean;
}

export const CLIENTS_CHANNELS = {
  /** The client's requests, newest first, from the request log (kept for the retention period). */
  'clients:history': {
    input: z.object({ cmid: cmidText, limit: z.number().int().min(1).max(500) }).strict(),
    result: result<RequestLogEntry[]>(),
  },
  /** The clients of the current view (filter and sort), every page of it, as CSV or JSON text. */
  'clients:export': {
    input: z
      .object({
        format: z.enum(['csv', 'json']),
        sort: clientWindowQuerySchema.shape.sort,
        filter: clientWindowQuerySchema.shape.filter,
      })
      .strict(),
    result: result<ClientExport>(),
  },
} as const;

export const CLIENTS_BRIDGE_METHODS = { clientHistory: 'clients:history', exportClients: 'clients:export' } as const;
