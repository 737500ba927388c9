/** Contract channels of the stored events (spread into INVOKE_CHANNELS). */
import { z } from 'zod';
import type { ResultOf } from './contract.js';

// Type-only import of the contract: contract.ts spreads this file's map, so a value import would be a cycle.
const result = <T>(): ResultOf<T> => ({});

export const EVENTS_CHANNELS = {
  /** Marks events as seen; an episode that is still going on stays in the log, no longer "needs attention". */
  'events:acknowledge': {
    input: z.object({ ids: z.array(z.number().int().min(1)).min(1).max(1000) }).strict(),
    result: result<{ acknowledged: number }>(),
  },
} as const;

export const EVENTS_BRIDGE_METHODS = { acknowledgeEvents: 'events:acknowledge' } as const;
