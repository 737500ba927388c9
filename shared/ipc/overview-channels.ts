/** Contract channels of the Overview's picture of the count (spread into INVOKE_CHANNELS). */
import { z } from 'zod';
import type { ResultOf } from './contract.js';

// Type-only import of the contract: contract.ts spreads this file's map, so a value import would be a cycle.
const result = <T>(): ResultOf<T> => ({});

/** One threshold group's count over time, against its threshold. */
export interface CountHistoryView {
  applicationId: string;
  applicationName: string;
  threshold: number;
  /** Display names of the group's products. */
  products: string[];
  /** False when the host key covers none of them: the line is shown, but more clients never help. */
  covered: boolean;
  /** One point per day the host stored a snapshot (UTC day start, ms), oldest first, the last 90 days; the last is now. */
  days: { at: number; count: number }[];
  /** The count from now on if no client renews, one point per day until it reaches 0 or 30 days. */
  forecast: { at: number; count: number }[];
  /** When the count falls below the threshold if nobody renews; null when it is not met now. */
  belowAt: number | null;
}

export const OVERVIEW_CHANNELS = {
  'overview:history': {
    input: z.object({ days: z.number().int().min(1).max(365).optional() }).strict(),
    result: result<CountHistoryView[]>(),
  },
} as const;

export const OVERVIEW_BRIDGE_METHODS = { overviewHistory: 'overview:history' } as const;
