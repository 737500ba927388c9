// `npm start` on a machine where the Electron binary cannot be had: one line saying so, then the
// host with its web console, as `npm run headless` starts it.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../support/activated-host.js';

const noElectron = tempDataDir('quorum-no-electron-');
let stop = () => {};
afterAll(() => stop());

describe('npm start without the Electron binary', () => {
  it('says so in one line and serves the host and its web console', async () => {
    const child = spawn(
      process.execPath,
      ['scripts/start-electron.js', '--listen', '127.0.0.1', '--port', '0', '--console', '127.0.0.1:0'],
      {
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: noElectron, QUORUM_DATA_DIR: tempDataDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    stop = () => child.kill('SIGTERM');
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 8_000;
    while (!/console: http\S+/.test(out) && child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /console: (http\S+)/.exec(out)?.[1];
    expect(url, out + err).toBeDefined();
    expect(err.trim().split('\n')).toEqual([
      'quorum: the Electron binary is not available on this machine (it could not be downloaded); starting the host with its web console instead (as "npm run headless").',
    ]);
    expect((await fetch(url!)).status).toBe(200);
    // SIGTERM to `npm start` reaches the host, which stops cleanly.
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped\n$/);
  });
});
