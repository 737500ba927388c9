/** `quorum status` against a real SQLite database written through the store, as the host writes it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, ProductCatalog, VirtualClock } from '../../../shared/domain/index.js';
import type { CliIo } from '../../../src-main/cli/cli-kit.js';
import { main } from '../../../src-main/cli/main.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { INTERVAL_SETTINGS } from '../../../src-main/engine/settings.js';
import type { StatusReport } from '../../../src-main/engine/status-report.js';
import { databasePath, openStore } from '../../../src-main/store/open-store.js';
import { activateDataDir } from '../../support/activated-host.js';
import { product, request } from './fixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += `${t}\n`),
    err: (t: string) => void (io.stderr += `${t}\n`),
  };
  return io;
}

/** A data directory whose database holds `servers` server activations made in the last days. */
async function hostWith(servers: number, settings: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-status-'));
  dirs.push(dir);
  const clock = new VirtualClock(Date.now() - servers * DAY_MS);
  const catalog = new ProductCatalog();
  const store = openStore({ file: databasePath(dir), clock, catalog });
  const engine = new Engine({ clock, catalog });
  for (let n = 1; n <= servers; n++) {
    const input = request(product('server'), n);
    const { decision, changes } = engine.handle(input);
    await store.commitActivation({ at: clock.now(), input, decision, changes });
    clock.advance(DAY_MS);
  }
  for (const [k, v] of Object.entries(settings)) store.setSetting(k, v);
  store.close();
  return dir;
}

describe('quorum status', () => {
  it('prints the count against each threshold, the forecast and the counters from the database', async () => {
    const dir = await hostWith(6);
    const io = capture();
    expect(await main(['status', '--data-dir', dir], io)).toBe(0);
    expect(io.stdout).toContain('Operating systems: current count 6 (cache holds up to 10 CMIDs)');
    expect(io.stdout).toMatch(/threshold {3}5 \(server, server-2\): met; safe until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(io.stdout).toContain('threshold  25 (desktop, desktop-2): NOT met: 19 more clients needed');
    expect(io.stdout).toContain('total 6, failed 0');
    // No host key was installed in this data directory.
    expect(io.stdout).toMatch(/Service: +NOT activating clients\. \S/);
  });

  it('--json gives the same facts to scripts, with the stored intervals', async () => {
    const dir = await hostWith(2, {
      [INTERVAL_SETTINGS.activationIntervalMin]: '60',
      [INTERVAL_SETTINGS.renewalIntervalMin]: '1440',
    });
    const io = capture();
    expect(await main(['status', '--data-dir', dir, '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout) as {
      ok: boolean;
      status: { activationIntervalMin: number; renewalIntervalMin: number; applications: { count: number }[] };
    };
    expect(out.ok).toBe(true);
    expect(out.status).toMatchObject({ activationIntervalMin: 60, renewalIntervalMin: 1440 });
    expect(out.status.applications[0]!.count).toBe(2);
  });

  it('refuses a damaged interval setting with the key to correct', async () => {
    const dir = await hostWith(1, { [INTERVAL_SETTINGS.renewalIntervalMin]: '7 days' });
    const io = capture();
    expect(await main(['status', '--data-dir', dir], io)).toBe(1);
    expect(io.stderr).toContain('The stored setting engine.renewalIntervalMin is "7 days".');
    expect(io.stderr).toContain('quorum settings set renewal-interval VALUE');
  });

  it('says which thresholds the host key does not serve, instead of "N more clients needed"', async () => {
    const dir = await hostWith(2);
    // A desktop key, issued, installed and activated as the CLI does: server and office clients are refused.
    activateDataDir(dir, 'desktop');
    const io = capture();
    expect(await main(['status', '--data-dir', dir], io)).toBe(0);
    const notServed = 'not served: the host key (desktop, generations 1 to 3) does not cover these products';
    expect(io.stdout).toContain(`threshold   5 (server, server-2): ${notServed}`);
    expect(io.stdout).toContain(`threshold   5 (office, office-2): ${notServed}`);
    expect(io.stdout).toContain('threshold  25 (desktop, desktop-2): NOT met: 23 more clients needed');
    const json = capture();
    expect(await main(['status', '--data-dir', dir, '--json'], json)).toBe(0);
    const report = (JSON.parse(json.stdout) as { status: StatusReport }).status;
    expect(report.keyCovers).toBe('desktop, generations 1 to 3');
    const covered = report.applications.flatMap((a) => a.thresholds.flatMap((t) => t.products));
    expect(covered.filter((p) => p.coveredByKey).map((p) => p.name)).toEqual(['desktop', 'desktop-2']);
  });

  it('says where it looked when there is no database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-status-'));
    dirs.push(dir);
    const io = capture();
    expect(await main(['status', '--data-dir', dir, '--json'], io)).toBe(1);
    expect(JSON.parse(io.stdout)).toMatchObject({ ok: false, error: { code: 'STORE_NOT_FOUND' } });
  });
});
