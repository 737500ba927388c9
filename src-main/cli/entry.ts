/**
 * The built `quorum` program (out/cli/quorum.js): the CLI run in this process, so a service
 * manager's signals reach the host directly. The same file runs under plain Node and under the
 * desktop app's binary with ELECTRON_RUN_AS_NODE (the installed `quorum` command).
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
