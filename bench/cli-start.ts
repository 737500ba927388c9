/**
 * Cold start of the `quorum` command: `quorum --help` and `quorum status` (a real, activated data
 * directory) as a shell runs them, against `node -e 0` measured in the same run, alternating so a
 * noisy moment touches all of them. The TypeScript sources through tsx (what every start cost before
 * the CLI was built) are measured once more for comparison. Part of `npm run bench`; alone:
 * `npm run bench:cli`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { activateDataDir } from '../test/support/activated-host.js';
import buildCliIfStale, { CLI_ENTRY } from '../test/support/built-cli.js';

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 7);

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export interface CliStartResult {
  runs: number;
  nodeBaselineMs: number;
  helpMs: number;
  statusMs: number;
  helpViaTsxMs: number;
  ratios: { help: number; status: number; helpViaTsx: number };
}

export function measureCliStart(): CliStartResult {
  buildCliIfStale();
  const dataDir = mkdtempSync(join(tmpdir(), 'quorum-bench-cli-'));
  try {
    activateDataDir(dataDir, 'desktop');
    const baseline: number[] = [];
    const help: number[] = [];
    const status: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(wallMs(['-e', '0']));
      help.push(wallMs([CLI_ENTRY, '--help']));
      status.push(wallMs([CLI_ENTRY, 'status', '--data-dir', dataDir]));
    }
    const viaTsx = [0, 1, 2].map(() => wallMs(['bin/run-ts.js', 'test/support/cli-from-sources.ts', '--help']));
    const b = median(baseline);
    return {
      runs: RUNS,
      nodeBaselineMs: round(b),
      helpMs: round(median(help)),
      statusMs: round(median(status)),
      helpViaTsxMs: round(median(viaTsx)),
      ratios: {
        help: round(median(help) / b, 2),
        status: round(median(status) / b, 2),
        helpViaTsx: round(median(viaTsx) / b, 2),
      },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'cold start of the quorum command', ...measureCliStart() }, null, 2)}\n`,
  );
}
