/**
 * The worker thread a console rehearsal runs in, so the host's activation thread keeps answering
 * clients while a year of a fleet is simulated. Receives { scenario, days?, seed? }; posts progress
 * messages, then the result or the error. A 'cancel' message ends the run at the next day.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { QuorumError } from '../../shared/domain/errors.js';
import type { Scenario } from '../sim/scenario-schema.js';
import { runSimulation } from '../sim/simulator.js';

export type WorkerReply =
  | { type: 'progress'; day: number; days: number }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: { code: string; message: string; hint?: string } };

const port = parentPort!;
const abort = new AbortController();
port.on('message', (m: unknown) => {
  if (m === 'cancel') abort.abort();
});

const { scenario } = workerData as { scenario: Scenario };
let lastPost = 0;
try {
  const result = await runSimulation(scenario, {
    signal: abort.signal,
    onProgress: ({ day, days }) => {
      // A few messages a second are enough for a progress bar.
      const now = performance.now();
      if (now - lastPost < 100 && day !== days) return;
      lastPost = now;
      port.postMessage({ type: 'progress', day, days } satisfies WorkerReply);
    },
  });
  port.postMessage({ type: 'done', result } satisfies WorkerReply);
} catch (e) {
  const error =
    e instanceof QuorumError
      ? e.toJSON()
      : { code: 'INTERNAL', message: `The rehearsal failed: ${e instanceof Error ? e.message : String(e)}` };
  port.postMessage({ type: 'failed', error } satisfies WorkerReply);
}
port.close();
