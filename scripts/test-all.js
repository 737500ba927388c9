#!/usr/bin/env node
// `npm test`: every check the project has, in order, each counted; ends with one line
// "N passed, N failed" summing typecheck, lint, Vitest (unit, integration, DOM) and Playwright.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'quorum-test-'));
let passed = 0;
let failed = 0;
const failures = [];

function run(label, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function step(label, cmd, args) {
  if (run(label, cmd, args)) passed += 1;
  else {
    failed += 1;
    failures.push(label);
  }
}

function counted(label, cmd, args, reportFile, env, read) {
  const ok = run(label, cmd, args, env);
  if (!existsSync(reportFile)) {
    failed += 1;
    failures.push(`${label} (no report)`);
    return;
  }
  const { p, f } = read(JSON.parse(readFileSync(reportFile, 'utf8')));
  passed += p;
  failed += f;
  if (f > 0 || !ok) failures.push(label);
  if (!ok && f === 0) failed += 1;
}

step('typecheck (Node code)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']);
step('typecheck (DOM code)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']);
step('svelte-check', 'npx', ['svelte-check', '--tsconfig', 'tsconfig.web.json', '--fail-on-warnings']);
step('eslint', 'npx', ['eslint', '.']);
step('prettier', 'npx', ['prettier', '--check', '.']);
step('build (main, preload, renderer, CLI)', 'npm', ['run', 'build']);

const vitestReport = join(reports, 'vitest.json');
counted(
  'vitest',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
  vitestReport,
  {},
  (r) => ({ p: r.numPassedTests, f: r.numFailedTests + (r.numTotalTests === 0 ? 1 : 0) }),
);

const pwReport = join(reports, 'playwright.json');
counted(
  'playwright',
  'npx',
  ['playwright', 'test', '--reporter=list,json'],
  pwReport,
  { PLAYWRIGHT_JSON_OUTPUT_NAME: pwReport },
  (r) => ({ p: r.stats.expected + r.stats.flaky, f: r.stats.unexpected + (r.stats.expected === 0 ? 1 : 0) }),
);

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
