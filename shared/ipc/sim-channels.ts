/**
 * The Rehearse view's channels (spread into the contract's maps): list the built-in scenarios,
 * describe one (or a file's content: the content is sent, never a path), run it with a few
 * parameters changed, and cancel a run. Progress and the end of a run arrive as events.
 */
import { z } from 'zod';
import type { QuorumErrorInfo } from '../domain/errors.js';
import type { ResultOf } from './contract.js';
import type { SimResult } from '../domain/sim-result.js';

const result = <T>(): ResultOf<T> => ({});

/**
 * Largest scenario text, in bytes of UTF-8: a scenario is a page of YAML, and the console's
 * WebSocket takes messages up to 64 KiB.
 */
export const MAX_SCENARIO_TEXT_BYTES = 48 * 1024;

/** What a run starts from: a built-in scenario by name, or the text of a file the person opened. */
export const scenarioSourceSchema = z.union([
  z.strictObject({ builtin: z.string().min(1).max(64) }),
  z.strictObject({ text: z.string().max(MAX_SCENARIO_TEXT_BYTES), fileName: z.string().min(1).max(255) }),
]);

export const simOverridesSchema = z.strictObject({
  days: z.number().int().min(1).max(3650).optional(),
  seed: z.number().int().min(0).max(0xffff_ffff).optional(),
  /** New sizes of the scenario's fleets, in order. */
  fleetSizes: z.array(z.number().int().min(0).max(100_000)).max(50).optional(),
  /** The hosts, in order: fewer drops the last ones, more adds hosts like the last one. */
  hosts: z
    .array(
      z.strictObject({ priority: z.number().int().min(0).max(65_535), weight: z.number().int().min(0).max(65_535) }),
    )
    .min(1)
    .max(20)
    .optional(),
});

/** Chosen by the console, so it can cancel a run before the run's first answer arrives. */
const runId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'expected a run id of letters, digits and hyphens');

export interface ScenarioOutline {
  name: string;
  description: string;
  days: number;
  seed: number;
  hosts: { name: string; family: string; priority: number; weight: number; outages: number }[];
  fleets: { name: string; product: string; size: number }[];
  events: number;
}

export interface BuiltinScenarioView {
  name: string;
  description: string;
}

export const SIM_INVOKE_CHANNELS = {
  'sim:builtins': { input: z.strictObject({}), result: result<BuiltinScenarioView[]>() },
  'sim:describe': { input: z.strictObject({ source: scenarioSourceSchema }), result: result<ScenarioOutline>() },
  'sim:run': {
    input: z.strictObject({ runId, source: scenarioSourceSchema, overrides: simOverridesSchema }),
    // The simulator's SimResult; typed here structurally so shared/ does not import src-main.
    result: result<SimRunResult>(),
  },
  'sim:cancel': { input: z.strictObject({ runId }), result: result<{ cancelled: boolean }>() },
} as const;

export interface SimEventPayloads {
  'sim:progress': { runId: string; day: number; days: number };
}
export const SIM_EVENT_CHANNELS = ['sim:progress'] as const;

export const SIM_BRIDGE_METHODS = {
  simBuiltins: 'sim:builtins',
  simDescribe: 'sim:describe',
  simRun: 'sim:run',
  simCancel: 'sim:cancel',
} as const;
export const SIM_BRIDGE_EVENTS = { onSimProgress: 'sim:progress' } as const;

/** A finished rehearsal as the console draws it (the `quorum simulate --json` result). */
export type SimRunResult = SimResult;

export type SimRunFailure = QuorumErrorInfo;
