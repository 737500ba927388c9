/** `quorum simulate SCENARIO|FILE`: a built-in scenario's name, or a YAML file to read. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { QuorumError } from '../../shared/domain/errors.js';
import { MAX_SCENARIO_TEXT_BYTES } from '../../shared/ipc/sim-channels.js';
import { BUILTIN_SCENARIOS, builtinScenario, builtinScenarioNames } from './builtin-scenarios.js';
import { parseScenario } from './scenario-parse.js';
import type { Scenario } from './scenario-schema.js';

export async function loadScenario(nameOrFile: string): Promise<Scenario> {
  if (Object.hasOwn(BUILTIN_SCENARIOS, nameOrFile)) return builtinScenario(nameOrFile);
  let text: string;
  try {
    text = await readFile(nameOrFile, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new QuorumError(
      code === 'ENOENT' ? 'SIM_UNKNOWN_SCENARIO' : 'SIM_SCENARIO_UNREADABLE',
      code === 'ENOENT'
        ? `"${nameOrFile}" is neither a built-in scenario nor a file.`
        : `The scenario file ${nameOrFile} cannot be read (${code ?? String(e)}).`,
      `Built-in scenarios: ${builtinScenarioNames().join(', ')}.`,
    );
  }
  return scenarioFromText(text, basename(nameOrFile));
}

/** A scenario's text as a person opened it (the console sends the content, not a path). */
export function scenarioFromText(text: string, source: string): Scenario {
  if (Buffer.byteLength(text) > MAX_SCENARIO_TEXT_BYTES) {
    throw new QuorumError(
      'SIM_SCENARIO_INVALID',
      `${source} is larger than ${MAX_SCENARIO_TEXT_BYTES / 1024} KiB; a scenario is a page of YAML.`,
      'Check that this is the scenario file (docs/simulator.md shows the format).',
    );
  }
  return parseScenario(text, source);
}
