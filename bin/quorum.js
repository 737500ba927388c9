#!/usr/bin/env node
// The `quorum` command: runs the built CLI (out/cli/quorum.js, made by `npm run build`) in this
// same process, so a service manager's signals reach the host directly. Only in a checkout that has
// not been built yet does it compile the TypeScript sources on the fly (tsx, a devDependency).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/quorum.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  process.stderr.write('quorum: no build found (run "npm run build"); running the TypeScript sources through tsx.\n');
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src-main/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
