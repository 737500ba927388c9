// `quorum simulate` from a terminal: an invalid scenario file is one error line naming the line and
// the field (the one spawned run); the summary and the CSV files come from the same run in-process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src-main/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'quorum-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('quorum simulate', () => {
  it('refuses an invalid scenario file with one line naming the line and the field', () => {
    const file = join(dir, 'branch.yaml');
    writeFileSync(
      file,
      'name: branch\ndays: 30\nhosts:\n  - name: quorum1\n    family: desktop\n    priority: high\nfleets:\n  - name: office\n    product: desktop\n    size: 30\n',
    );
    const r = spawnSync(process.execPath, ['bin/quorum.js', 'simulate', file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^quorum: branch\.yaml:6:15: hosts\[0\]\.priority: expected a number, not a string \(got "high"\)\. .*\(SIM_SCENARIO_INVALID\)\n$/,
    );
  });

  it('prints a planner’s summary and writes the series as CSV files', async () => {
    const csv = join(dir, 'csv');
    const r = await run(['simulate', 'below-threshold-office', '--csv', csv]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Rehearsal below-threshold-office: 45 days');
    expect(r.out).toMatch(/quorum1 +Office suite ≥ 5 +5 +day 35 +- +4 +5 +5/);
    expect(r.out).toContain('first client out of grace (Quorum Office 3): notification (unlicensed)');
    const daily = readFileSync(join(csv, 'daily.csv'), 'utf8').trim().split('\n');
    expect(daily[0]).toBe(
      'day,date,present,activated,grace,unlicensed,retrying,away,count quorum1 Office suite ≥ 5,requests quorum1,not granted quorum1,unreachable quorum1',
    );
    expect(daily).toHaveLength(46);
    expect(daily[35]).toMatch(/^34,2026-02-08,4,0,0,4,4,0,4,/);
    expect(daily[36]).toMatch(/^35,2026-02-09,5,5,0,0,0,0,5,/);
    expect(readFileSync(join(csv, 'hourly.csv'), 'utf8').split('\n')).toHaveLength(45 * 24 + 2);
    expect(readFileSync(join(csv, 'moments.csv'), 'utf8')).toContain('threshold-reached,quorum1,Office suite ≥ 5');
  });

  it('names the built-in scenarios when given an unknown name', async () => {
    const r = await run(['simulate', 'no-such-thing']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('"no-such-thing" is neither a built-in scenario nor a file.');
    expect(r.err).toContain('seed-25-to-23, boot-storm, host-failover');
  });
});
