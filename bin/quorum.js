#!/usr/bin/env node
// The `quorum` command from a checkout: runs the TypeScript sources through tsx in this same
// process (no child), so a service manager's signals reach the host directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
