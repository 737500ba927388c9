/**
 * The journal test's victim: commits N activations, then kills itself with SIGKILL as soon as the
 * commits resolved, before the journal's apply delay has passed, so every acknowledged activation
 * is in the journal and none in the inventory. Run: node bin/run-ts.js <this file> FILE N
 */
import { openStore } from '../../../src-main/store/open-store.js';
import { activation } from './fixtures.js';

const [file, n] = process.argv.slice(2);
if (!file || !n) {
  process.stderr.write('usage: journal-child.ts DATABASE_FILE N\n');
  process.exit(2);
}
const store = openStore({ file });
await Promise.all(
  Array.from({ length: Number(n) }, (_, i) => store.commitActivation(activation({ n: i, at: Date.now() }))),
);
process.stdout.write('committed\n');
process.kill(process.pid, 'SIGKILL');
