/** The schema of a client window query (the Clients view's table), shared by the channels that take one. */
import { z } from 'zod';
import { CLIENT_SORT_COLUMNS, REQUEST_RESULTS, type RequestResult } from '../domain/records.js';
import type { LicenseState } from '../domain/license-state.js';

export const uuidText = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');

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
        lastResult: z.enum(REQUEST_RESULTS as [RequestResult, ...RequestResult[]]).optional(),
        seenWithinMs: z.number().int().min(0).optional(),
      })
      .strict(),
    after: z
      .object({ value: z.union([z.string().max(1000), z.number()]), cmid: uuidText.transform((s) => s.toLowerCase()) })
      .strict()
      .optional(),
  })
  .strict();
