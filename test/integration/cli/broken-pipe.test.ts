// `quorum clients --csv | head`: the reader closing the pipe early ends the command quietly.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function runAndCloseEarly(mode: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/run-ts.js', 'test/integration/cli/broken-pipe-child.ts', mode]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('a closed output pipe', () => {
  it('ends the command with exit 0 and no stack trace', async () => {
    const r = await runAndCloseEarly('guarded');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('would otherwise kill it with an unhandled EPIPE (what the guard is for)', async () => {
    const r = await runAndCloseEarly('unguarded');
    expect(r.stderr).toContain('EPIPE');
    expect(r.code).not.toBe(0);
  });

  it('says in one line that the output could not be written when the device is full (exit 1)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, ['bin/run-ts.js', 'test/integration/cli/broken-pipe-child.ts', 'guarded'], {
        stdio: ['ignore', full, 'pipe'],
      });
      expect(r.status).toBe(1);
      expect(r.stderr.toString()).toMatch(/^quorum: Writing the output failed \(ENOSPC\)\. .* \(OUTPUT_FAILED\)\n$/);
    } finally {
      closeSync(full);
    }
  });
});
