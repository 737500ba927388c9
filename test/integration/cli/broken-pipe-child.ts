// Writes far more than a pipe holds, as `quorum clients --csv` does for a big inventory.
import { exitQuietlyOnBrokenPipe } from '../../../src-main/cli/cli-kit.js';

if (process.argv[2] === 'guarded') exitQuietlyOnBrokenPipe();
const line = `${'x'.repeat(1023)}\n`;
for (let i = 0; i < 20_000; i++) process.stdout.write(line);
