/**
 * The scenario a rehearsal runs: hosts (key family, SRV priority and weight, outages), fleets
 * (product, size, arrival, departures, laptops away, cloned images), events on given days, the
 * duration and the seed. docs/scenario.schema.json is generated from this schema (a test keeps it
 * in step), so editors can check a file as it is written.
 */
import { z } from 'zod';

const day = z.number().min(0).max(3650);
const name = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,30}$/,
    'must be 1 to 31 lower-case letters, digits or hyphens, starting with a letter or digit',
  );
const count = z.number().int().min(1).max(100_000);
const interval = z.number().int().min(15).max(43_200);

const outage = z.strictObject({
  from: day.describe('day the host stops answering (fractions are hours: 2.5 is noon on day 2)'),
  to: day.describe('day it answers again'),
  withdraw: z
    .boolean()
    .default(false)
    .describe('also withdraw its SRV record (it disappears from answers after the TTL)'),
});

const host = z.strictObject({
  name,
  family: z.enum(['desktop', 'server', 'office']).describe('family of the host key installed on it'),
  priority: z.number().int().min(0).max(65_535).default(0),
  weight: z.number().int().min(0).max(65_535).default(100),
  outages: z.array(outage).default([]),
});

const arrival = z.strictObject({
  day: day.default(0).describe('day the first client starts'),
  hour: z.number().min(0).max(24).default(9).describe('hour of that day (UTC)'),
  overHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .default(0)
    .describe('clients start spread over this many hours'),
  curve: z
    .enum(['even', 'bell'])
    .default('even')
    .describe('even: the same number each hour; bell: most in the middle (a morning boot storm)'),
});

const fleet = z.strictObject({
  name,
  product: z.enum(['desktop', 'desktop-2', 'server', 'server-2', 'office', 'office-2']),
  size: z.number().int().min(0).max(100_000),
  vmShare: z.number().min(0).max(1).default(0).describe('share of the clients that are virtual machines'),
  arrival: arrival.default({ day: 0, hour: 9, overHours: 0, curve: 'even' }),
  departures: z
    .array(z.strictObject({ day, count }))
    .default([])
    .describe('clients that leave for good (decommissioned)'),
  away: z
    .array(z.strictObject({ day, count, days: z.number().min(0.05).max(3650) }))
    .default([])
    .describe('laptops on the road: they stop asking on `day` and come back `days` later'),
  clonedImage: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(0)
    .describe('this many of the clients come from one image that was not generalised (one shared CMID)'),
  hostCaching: z.boolean().default(true).describe('clients try the host that answered last first'),
});

const event = z
  .strictObject({
    day,
    addClients: z.strictObject({ fleet: name, count }).optional(),
    removeClients: z.strictObject({ fleet: name, count }).optional(),
    uninstallKey: z.strictObject({ host: name }).optional(),
    installKey: z.strictObject({ host: name, family: z.enum(['desktop', 'server', 'office']) }).optional(),
    setIntervals: z
      .strictObject({ host: name.optional(), activationMin: interval.optional(), renewalMin: interval.optional() })
      .optional(),
  })
  .refine(
    (e) =>
      [e.addClients, e.removeClients, e.uninstallKey, e.installKey, e.setIntervals].filter((x) => x !== undefined)
        .length === 1,
    { message: 'give exactly one of addClients, removeClients, uninstallKey, installKey, setIntervals' },
  );

export const scenarioSchema = z.strictObject({
  name: name.describe('what the scenario is called (quorum simulate NAME runs a built-in one)'),
  description: z.string().max(2000).default(''),
  days: z.number().int().min(1).max(3650).describe('how long the rehearsal runs'),
  seed: z.number().int().min(0).max(0xffff_ffff).default(1).describe('the same seed gives the same run'),
  start: z.iso.date().default('2026-01-05').describe('day 0 (a Monday by default), UTC'),
  domain: z.string().default('office.test').describe('clients query _quorum._tcp.<domain>'),
  dnsTtlSeconds: z.number().int().min(0).max(604_800).default(3600),
  intervals: z
    .strictObject({ activationMin: interval.default(120), renewalMin: interval.default(10_080) })
    .default({ activationMin: 120, renewalMin: 10_080 })
    .describe('the hosts’ activation (retry) and renewal intervals, in minutes'),
  hosts: z.array(host).min(1).max(20),
  fleets: z.array(fleet).min(1).max(50),
  events: z.array(event).default([]),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioHost = Scenario['hosts'][number];
export type ScenarioFleet = Scenario['fleets'][number];
export type ScenarioEvent = Scenario['events'][number];

/** The JSON Schema published as docs/scenario.schema.json. */
export function scenarioJsonSchema(): unknown {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/quorum-activation/quorum/docs/scenario.schema.json',
    title: 'Quorum rehearsal scenario',
    ...(z.toJSONSchema(scenarioSchema, { io: 'input' }) as Record<string, unknown>),
  };
}
