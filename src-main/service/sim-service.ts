/**
 * The Rehearse view's operations: the built-in scenarios, a scenario's outline (from a built-in or
 * from a file's content), and runs in a worker thread with progress events and cancel. Scenarios
 * are parsed and changed here, in main; the worker only runs the simulator.
 */
import { Worker } from 'node:worker_threads';
import { QuorumError } from '../../shared/domain/errors.js';
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import type { ScenarioOutline, SimRunResult } from '../../shared/ipc/sim-channels.js';
import { BUILTIN_SCENARIOS, builtinScenario } from '../sim/builtin-scenarios.js';
import { applyOverrides } from '../sim/scenario-overrides.js';
import { scenarioFromText } from '../sim/scenario-source.js';
import type { Scenario } from '../sim/scenario-schema.js';
import type { ConsoleEvents } from './console-events.js';
import type { WorkerReply } from './sim-worker.js';

type SimChannel = 'sim:builtins' | 'sim:describe' | 'sim:run' | 'sim:cancel';

/** Rehearsals at once: each takes a core while it runs, and the host needs one. */
export const MAX_CONCURRENT_RUNS = 2;

export interface SimService {
  contract: Pick<ConsoleContract, SimChannel>;
  close(): void;
}

type Source = { builtin: string } | { text: string; fileName: string };

function scenarioOf(source: Source): Scenario {
  return 'builtin' in source ? builtinScenario(source.builtin) : scenarioFromText(source.text, source.fileName);
}

function outline(s: Scenario): ScenarioOutline {
  return {
    name: s.name,
    description: s.description,
    days: s.days,
    seed: s.seed,
    hosts: s.hosts.map((h) => ({
      name: h.name,
      family: h.family,
      priority: h.priority,
      weight: h.weight,
      outages: h.outages.length,
    })),
    fleets: s.fleets.map((f) => ({ name: f.name, product: f.product, size: f.size })),
    events: s.events.length,
  };
}

/** A rehearsal that needs more than this ends with SIM_TOO_LARGE instead of taking the host's memory. */
export const WORKER_HEAP_MB = 1536;

/** The worker runs from source under tsx (the CLI, tests) or as the bundle's sim-worker.js (Electron). */
function startWorker(scenario: Scenario): Worker {
  const here = import.meta.url;
  const options = { workerData: { scenario }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
  if (here.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./sim-worker.ts', here).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL('./sim-worker.js', here), options);
}

function workerFailure(e: Error): QuorumError {
  if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new QuorumError(
      'SIM_TOO_LARGE',
      `The rehearsal needed more than ${WORKER_HEAP_MB} MB and was stopped; the host was not affected.`,
      'Run fewer clients or fewer days, or run it with quorum simulate on another machine.',
    );
  }
  return new QuorumError(
    'SIM_FAILED',
    `The rehearsal stopped: ${e.message}`,
    'Run it again; if it fails again, run quorum simulate with the same scenario for the details.',
  );
}

export function createSimService(events: ConsoleEvents): SimService {
  const runs = new Map<string, Worker>();

  const run = (runId: string, scenario: Scenario): Promise<SimRunResult> =>
    new Promise((resolve, reject) => {
      const worker = startWorker(scenario);
      runs.set(runId, worker);
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        runs.delete(runId);
        f();
      };
      worker.on('message', (m: WorkerReply) => {
        if (m.type === 'progress') events.emit('sim:progress', { runId, day: m.day, days: m.days });
        else if (m.type === 'done') finish(() => resolve(m.result as SimRunResult));
        else finish(() => reject(new QuorumError(m.error.code, m.error.message, m.error.hint)));
      });
      worker.on('error', (e) => finish(() => reject(workerFailure(e))));
      worker.on('exit', () =>
        finish(() => reject(new QuorumError('SIM_CANCELLED', 'The rehearsal was stopped before it finished.'))),
      );
    });

  const contract: SimService['contract'] = {
    'sim:builtins': async () =>
      Object.keys(BUILTIN_SCENARIOS).map((name) => ({ name, description: builtinScenario(name).description })),
    'sim:describe': async ({ source }) => outline(scenarioOf(source)),
    'sim:run': async ({ runId, source, overrides }) => {
      if (runs.has(runId)) {
        throw new QuorumError(
          'SIM_RUN_EXISTS',
          `A rehearsal with id ${runId} is already running.`,
          'Start the run with a new id.',
        );
      }
      if (runs.size >= MAX_CONCURRENT_RUNS) {
        throw new QuorumError(
          'SIM_BUSY',
          `${runs.size} rehearsals are already running on this host.`,
          'Wait for one to finish, or cancel it, then run again.',
        );
      }
      return run(runId, applyOverrides(scenarioOf(source), overrides));
    },
    'sim:cancel': async ({ runId }) => {
      const worker = runs.get(runId);
      if (!worker) return { cancelled: false };
      worker.postMessage('cancel');
      return { cancelled: true };
    },
  };

  return {
    contract,
    close: () => {
      for (const worker of runs.values()) void worker.terminate();
      runs.clear();
    },
  };
}
