/**
 * The crash test's victim: opens the store, commits each activation record it reads from stdin
 * (one JSON object per line) and prints the record's CMID on stdout only after its group commit
 * resolved, just as the host sends a reply only after the commit. The parent kills it with
 * SIGKILL at a random moment. Run: node bin/run-ts.js test/integration/store/crash-child.ts FILE
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../../src-main/store/open-store.js';
import type { ActivationRecord } from '../../../src-main/store/types.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: crash-child.ts DATABASE_FILE\n');
  process.exit(2);
}
const store = openStore({ file });
store.loadEngineSnapshot();
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const record = JSON.parse(line) as ActivationRecord;
  store.commitActivation(record).then(
    () => process.stdout.write(`${record.input.cmid}\n`),
    (e: unknown) => process.stderr.write(`commit failed: ${String(e)}\n`),
  );
});
lines.on('close', () => store.close());
