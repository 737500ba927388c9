#!/usr/bin/env node
// Runs one TypeScript file (a benchmark or a script) in this process through tsx.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bin/run-ts.js FILE.ts [args]\n');
  process.exit(2);
}
process.argv = [process.argv[0], file, ...rest];
register();
await import(pathToFileURL(resolve(file)).href);
