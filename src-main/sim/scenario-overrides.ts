/**
 * The few parameters the Rehearse view lets a person change on a scenario before running it:
 * days, seed, each fleet's size, and the hosts (how many, their priority and weight). A host added
 * beyond the scenario's is like its last one, without outages.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import { crossCheck, fieldName } from './scenario-parse.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export interface ScenarioOverrides {
  days?: number | undefined;
  seed?: number | undefined;
  fleetSizes?: number[] | undefined;
  hosts?: { priority: number; weight: number }[] | undefined;
}

export function applyOverrides(base: Scenario, o: ScenarioOverrides): Scenario {
  const hosts = o.hosts
    ? o.hosts.map((h, i) => {
        const from = base.hosts[i] ?? { ...base.hosts[base.hosts.length - 1]!, name: freeName(base, i), outages: [] };
        return { ...from, priority: h.priority, weight: h.weight };
      })
    : base.hosts;
  const fleets = base.fleets.map((f, i) => {
    const size = o.fleetSizes?.[i] ?? f.size;
    return { ...f, size, clonedImage: Math.min(f.clonedImage, size) };
  });
  const kept = new Set(hosts.map((h) => h.name));
  // Events about a host that was removed go with it.
  const events = base.events.filter((e) => {
    const host = e.uninstallKey?.host ?? e.installKey?.host ?? e.setIntervals?.host;
    return host === undefined || kept.has(host);
  });
  const next = { ...base, hosts, fleets, events, days: o.days ?? base.days, seed: o.seed ?? base.seed };
  const checked = scenarioSchema.safeParse(next);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new QuorumError(
      'SIM_SCENARIO_INVALID',
      `The changed scenario is not valid at ${issue.path.join('.')}: ${issue.message}.`,
      'Change the value back within its range.',
    );
  }
  const problem = crossCheck(checked.data);
  if (problem) {
    throw new QuorumError(
      'SIM_SCENARIO_INVALID',
      `The changed scenario is not valid at ${fieldName(problem.path)}: ${problem.message}.`,
      'Use fewer clients or change the value back.',
    );
  }
  return checked.data;
}

function freeName(base: Scenario, index: number): string {
  const taken = new Set(base.hosts.map((h) => h.name));
  let n = index + 1;
  while (taken.has(`quorum${n}`)) n++;
  return `quorum${n}`;
}
