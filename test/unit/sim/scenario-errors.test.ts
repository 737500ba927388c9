// An invalid scenario gets one error naming the line and the field; the published JSON Schema is
// the schema the simulator checks with.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QuorumError } from '../../../shared/domain/errors.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../../../src-main/sim/builtin-scenarios.js';
import { parseScenario } from '../../../src-main/sim/scenario-parse.js';
import { applyOverrides } from '../../../src-main/sim/scenario-overrides.js';
import { scenarioJsonSchema } from '../../../src-main/sim/scenario-schema.js';

const VALID = `name: branch
days: 30
hosts:
  - name: quorum1
    family: desktop
fleets:
  - name: office
    product: desktop
    size: 30
`;

function errorOf(text: string): QuorumError {
  try {
    parseScenario(text, 'branch.yaml');
  } catch (e) {
    if (e instanceof QuorumError) return e;
    throw e;
  }
  throw new Error('the scenario was accepted');
}

describe('scenario files', () => {
  it('reads a valid file with the defaults filled in', () => {
    const s = parseScenario(VALID, 'branch.yaml');
    expect(s).toMatchObject({ seed: 1, start: '2026-01-05', intervals: { activationMin: 120, renewalMin: 10_080 } });
    expect(s.hosts[0]).toMatchObject({ priority: 0, weight: 100, outages: [] });
    expect(s.fleets[0]).toMatchObject({ vmShare: 0, hostCaching: true, arrival: { hour: 9, curve: 'even' } });
  });

  it.each([
    [
      'a wrong type',
      VALID.replace('size: 30', 'size: lots'),
      'branch.yaml:9:11: fleets[0].size: expected a number, not a string (got "lots")',
    ],
    [
      'an unknown field',
      VALID.replace('    family: desktop', '    family: desktop\n    colour: red'),
      'branch.yaml:6:5: hosts[0].colour: is not a field of this scenario part',
    ],
    ['a missing field', VALID.replace('days: 30\n', ''), 'branch.yaml:1:1: days: missing (a number is required)'],
    [
      'a value out of range',
      VALID.replace('size: 30', 'size: 30\n    vmShare: 1.5'),
      'branch.yaml:10:14: fleets[0].vmShare: Too big: expected number to be <=1 (got 1.5)',
    ],
    [
      'an unknown product',
      VALID.replace('product: desktop', 'product: windows'),
      'branch.yaml:8:14: fleets[0].product:',
    ],
    [
      'an event naming no fleet',
      `${VALID}events:\n  - day: 3\n    addClients: { fleet: sales, count: 2 }\n`,
      'branch.yaml:12:26: events[0].addClients.fleet: no fleet is called "sales" (fleets: office)',
    ],
    [
      'an outage ending before it starts',
      VALID.replace('    family: desktop', '    family: desktop\n    outages: [{ from: 5, to: 2 }]'),
      'branch.yaml:6:30: hosts[0].outages[0].to: must be after from (5)',
    ],
    ['broken YAML', VALID.replace('  - name: office', '  - name: office\n   product: [desktop'), 'branch.yaml:8:'],
  ])('names the line and the field for %s, in one error', (_what, text, expected) => {
    const e = errorOf(text);
    expect(e.code).toBe('SIM_SCENARIO_INVALID');
    expect(e.message.startsWith(expected)).toBe(true);
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.hint).toMatch(/docs\/simulator\.md/);
  });

  it("refuses more clients than a rehearsal holds, in the file and in the view's changes", () => {
    const fleets = [0, 1, 2].map((i) => `  - { name: f${i}, product: desktop, size: 100000 }`).join('\n');
    const e = errorOf(VALID.replace(/fleets:[\s\S]*$/, `fleets:\n${fleets}\n`));
    expect(e.message).toBe('branch.yaml:6:1: fleets: 300,000 clients in all; a rehearsal runs up to 200,000');
    const base = parseScenario(VALID, 'branch.yaml');
    expect(() => applyOverrides(base, { fleetSizes: [100_000] })).not.toThrow();
    const three = { ...base, fleets: ['a', 'b', 'c'].map((name) => ({ ...base.fleets[0]!, name })) };
    expect(() => applyOverrides(three, { fleetSizes: [100_000, 100_000, 1] })).toThrow(
      'The changed scenario is not valid at fleets: 200,001 clients in all; a rehearsal runs up to 200,000.',
    );
  });

  it('publishes the JSON Schema it checks with (docs/scenario.schema.json)', () => {
    const published: unknown = JSON.parse(readFileSync('docs/scenario.schema.json', 'utf8'));
    expect(published).toEqual(scenarioJsonSchema());
  });

  it('has every built-in scenario valid', () => {
    for (const name of Object.keys(BUILTIN_SCENARIOS)) expect(builtinScenario(name).name).toBe(name);
  });
});
