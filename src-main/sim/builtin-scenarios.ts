/**
 * The scenarios `quorum simulate NAME` and the console's Rehearse view run by name. Written in the
 * scenario format itself, so each is also an example of it (docs/simulator.md shows them).
 */
import { QuorumError } from '../../shared/domain/errors.js';
import { parseScenario } from './scenario-parse.js';
import type { Scenario } from './scenario-schema.js';

export const BUILTIN_SCENARIOS: Readonly<Record<string, string>> = {
  'seed-25-to-23': `# The worked example: a network reaches the threshold of 25, two machines leave, within 30 days
# the count is 23, within 7 more days every remaining client retries every 2 hours, and two new
# clients bring everything back.
name: seed-25-to-23
description: 25 desktops reach the threshold; 2 leave on day 1; 2 new ones join on day 45.
days: 60
hosts:
  - name: quorum1
    family: desktop
fleets:
  - name: office
    product: desktop
    size: 25
    arrival: { day: 0, hour: 9, overHours: 4 }
    departures:
      - { day: 1, count: 2 }
events:
  - day: 45
    addClients: { fleet: office, count: 2 }
`,
  'boot-storm': `# 2,000 desktops switched on one Monday morning between 7:30 and 9:30, two hosts of equal weight.
name: boot-storm
description: 2,000 clients start on one Monday morning; two hosts share them by weight.
days: 14
hosts:
  - { name: quorum1, family: desktop, priority: 0, weight: 100 }
  - { name: quorum2, family: desktop, priority: 0, weight: 100 }
fleets:
  - name: campus
    product: desktop
    size: 2000
    vmShare: 0.2
    arrival: { day: 0, hour: 7.5, overHours: 2, curve: bell }
`,
  'host-failover': `# Two hosts, priority 0 and 10. The first is down from day 6 to day 9, over the fleet's weekly
# renewals (a second host starts counting from zero: watch its count). Host caching is off, so
# every attempt asks DNS and takes the priority-0 host when it answers (with caching on, clients
# would stay on the second host until it fails).
name: host-failover
description: quorum1 (priority 0) is down for three days; clients fail over to quorum2 (priority 10) and come back.
days: 30
hosts:
  - name: quorum1
    family: desktop
    priority: 0
    outages:
      - { from: 6, to: 9 }
  - name: quorum2
    family: desktop
    priority: 10
fleets:
  - name: office
    product: desktop
    size: 200
    arrival: { day: 0, hour: 8, overHours: 10 }
    hostCaching: false
`,
  'laptops-on-the-road': `# 32 desktops; 10 laptops leave on day 20 for 40 days. The 22 left are below 25 once the
# laptops' CMIDs expire; the laptops' return brings the count back.
name: laptops-on-the-road
description: 10 of 32 laptops are away for 40 days; the office drops below the threshold until they return.
days: 90
hosts:
  - name: quorum1
    family: desktop
fleets:
  - name: sales
    product: desktop
    size: 32
    arrival: { day: 0, hour: 9, overHours: 8 }
    away:
      - { day: 20, count: 10, days: 40 }
`,
  'cloned-image': `# 30 desktops, 8 of them copies of one image that was not generalised: they share one CMID, the
# count stops at 23 and the threshold of 25 is never met. The host says which machines share it.
name: cloned-image
description: 8 of 30 desktops share one CMID; the count never reaches 25.
days: 35
hosts:
  - name: quorum1
    family: desktop
fleets:
  - name: lab
    product: desktop
    size: 30
    clonedImage: 8
    arrival: { day: 0, hour: 9, overHours: 6 }
`,
  'below-threshold-office': `# An office suite on 4 machines: its threshold is 5, so none is activated; their 30-day grace
# runs out; a fifth machine on day 35 activates them all.
name: below-threshold-office
description: 4 office installations stay below the threshold of 5 until a fifth joins on day 35.
days: 45
hosts:
  - name: quorum1
    family: office
fleets:
  - name: front-desk
    product: office
    size: 4
    arrival: { day: 0, hour: 9, overHours: 2 }
events:
  - day: 35
    addClients: { fleet: front-desk, count: 1 }
`,
};

export function builtinScenarioNames(): string[] {
  return Object.keys(BUILTIN_SCENARIOS);
}

export function builtinScenario(name: string): Scenario {
  const text = BUILTIN_SCENARIOS[name];
  if (text === undefined) {
    throw new QuorumError(
      'SIM_UNKNOWN_SCENARIO',
      `There is no built-in scenario called "${name}".`,
      `Use one of ${builtinScenarioNames().join(', ')}, or give a scenario file (.yaml).`,
    );
  }
  return parseScenario(text, `${name} (built-in)`);
}
