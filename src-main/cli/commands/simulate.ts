/**
 * `quorum simulate SCENARIO|FILE`: a rehearsal of a deployment on a virtual clock (src-main/sim/).
 * Prints a planner's summary, or the whole time series with --json, or CSV files with --csv DIR.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuorumError } from '../../../shared/domain/errors.js';
import { builtinScenarioNames } from '../../sim/builtin-scenarios.js';
import { loadScenario } from '../../sim/scenario-source.js';
import { formatSummary, resultCsv } from '../../sim/sim-summary.js';
import { runSimulation } from '../../sim/simulator.js';
import { CliUsageError, intOption, parseCommandArgs, printJson, type Command } from '../cli-kit.js';

const HELP = `Usage: quorum simulate SCENARIO|FILE [--days N] [--seed N] [--json] [--csv DIR]

Rehearses a deployment before it happens: the real host engine and client agents run on a
virtual clock with the scenario's hosts, DNS records, fleets, departures, outages and events.
A year of thousands of clients takes seconds. Prints, per host and threshold group, the count
against the threshold and the first day below it, the clients activated / in grace / unlicensed
per day, requests per host, the busiest hour and the notable moments.

Built-in scenarios: ${builtinScenarioNames().join(', ')}.
The scenario format is described in docs/simulator.md (JSON Schema: docs/scenario.schema.json).

Options:
  --days N      run for N days instead of the scenario's duration (1-3650)
  --seed N      another seed (the same seed always gives the same run)
  --json        print the whole time series as JSON
  --csv DIR     also write daily.csv, hourly.csv and moments.csv into DIR

Examples:
  quorum simulate seed-25-to-23
  quorum simulate ./branch-offices.yaml --days 365 --csv ./rehearsal`;

export const simulate: Command = {
  path: ['simulate'],
  summary: 'rehearse a deployment (hosts, DNS, fleets, outages) on a virtual clock',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { days: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'string' } },
      true,
    );
    if (positionals.length !== 1) {
      throw new CliUsageError(
        positionals.length === 0
          ? `Name a scenario (${builtinScenarioNames().join(', ')}) or a scenario file.`
          : `Give one scenario; got ${positionals.length}.`,
      );
    }
    const days = intOption('days', values.days, 1, 3650);
    const seed = intOption('seed', values.seed, 0, 0xffff_ffff);
    const scenario = await loadScenario(positionals[0]!);
    const bar = !values.json && process.stderr.isTTY ? progressBar() : null;
    const result = await runSimulation(scenario, {
      ...(days !== undefined ? { days } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(bar ? { onProgress: bar.update } : {}),
    });
    bar?.done();
    if (values.csv !== undefined) await writeCsv(values.csv, resultCsv(result));
    if (values.json) printJson(io, { ok: true, result });
    else io.out(formatSummary(result));
    if (values.csv !== undefined && !values.json) io.out(`CSV files written to ${values.csv}.`);
    return 0;
  },
};

async function writeCsv(dir: string, files: Record<string, string>): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  } catch (e) {
    throw new QuorumError(
      'SIM_CSV_UNWRITABLE',
      `The CSV files cannot be written to ${dir} (${(e as { code?: string }).code ?? String(e)}).`,
      'Give a folder you can write to with --csv DIR.',
    );
  }
}

function progressBar(): { update(p: { day: number; days: number }): void; done(): void } {
  let last = -1;
  return {
    update({ day, days }) {
      const filled = Math.round((30 * day) / days);
      if (filled === last && day !== days) return;
      last = filled;
      process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(30 - filled)}] day ${day} of ${days}`);
    },
    done() {
      process.stderr.write('\r\x1b[2K');
    },
  };
}
