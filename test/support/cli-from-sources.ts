// The CLI from its TypeScript sources (bench/cli-start.ts compares the built CLI against it).
import { main } from '../../src-main/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
