import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, VirtualClock } from '../../../shared/domain/index.js';
import { databasePath, openStore, RETENTION_SETTINGS } from '../../../src-main/store/open-store.js';
import { activation, tempDir } from './fixtures.js';
import { main } from '../../../src-main/cli/main.js';
import type { CliIo } from '../../../src-main/cli/cli-kit.js';
import type { QuorumError } from '../../../shared/domain/errors.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('request log retention', () => {
  it('keeps at most maxRows, dropping the oldest, a bounded number per commit', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 10));
    const file = databasePath(tmp.dir);
    const first = openStore({ file, clock });
    await Promise.all(
      Array.from({ length: 2000 }, (_, n) => first.commitActivation(activation({ n, at: clock.now() }))),
    );
    first.close();
    // The limit is lowered: each commit prunes a bounded number of old rows, never all 1900 at once.
    const s = openStore({ file, clock, retention: { maxRows: 100 } });
    try {
      await s.commitActivation(activation({ n: 5000, at: clock.now() }));
      const afterOne = s.queryRequestLog({ offset: 0, limit: 1 }).total;
      expect(afterOne).toBeGreaterThan(100);
      expect(afterOne).toBeLessThan(2001);
      for (let i = 1; i < 10 && s.queryRequestLog({ offset: 0, limit: 1 }).total > 100; i++) {
        await s.commitActivation(activation({ n: 5000 + i, at: clock.now() }));
      }
      const log = s.queryRequestLog({ offset: 0, limit: 1000 });
      expect(log.total).toBe(100);
      expect(log.rows).toHaveLength(100);
      // The newest survive, oldest first goes.
      expect(log.rows.at(-1)!.id).toBe(log.rows[0]!.id - 99);
      expect(log.rows[0]!.machineName).toMatch(/^pc-050/);
      // Pruning the log never touches the inventory.
      expect(s.stats().clients).toBeGreaterThan(2000);
    } finally {
      s.close();
    }
  });

  it('drops entries older than maxAgeDays as time passes', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 10));
    const s = openStore({ file: databasePath(tmp.dir), clock, retention: { maxAgeDays: 7 } });
    try {
      await s.commitActivation(activation({ n: 1, at: clock.now() }));
      clock.advance(3 * DAY_MS);
      await s.commitActivation(activation({ n: 2, at: clock.now() }));
      clock.advance(5 * DAY_MS);
      await s.commitActivation(activation({ n: 3, at: clock.now() }));
      const rows = s.queryRequestLog({ offset: 0, limit: 10, newestFirst: false }).rows;
      expect(rows.map((r) => r.machineName)).toEqual(['pc-00002', 'pc-00003']);
    } finally {
      s.close();
    }
  });

  it('reads retention from settings when not given', () => {
    const file = databasePath(tmp.dir);
    const s = openStore({ file });
    s.setSetting(RETENTION_SETTINGS.maxRows, '5000');
    s.setSetting(RETENTION_SETTINGS.maxAgeDays, '30');
    s.close();
    const again = openStore({ file });
    expect(again.retention).toEqual({ maxAgeDays: 30, maxRows: 5000 });
    again.close();
  });

  it('a bad stored setting is reported with its name and not applied; every command still opens the database', async () => {
    const file = databasePath(tmp.dir);
    const s = openStore({ file });
    await s.commitActivation(activation({ n: 1, at: Date.now() }));
    s.setSetting(RETENTION_SETTINGS.maxAgeDays, 'ninety');
    // In range for "whole number >= 1", but under the documented 1,000: it would prune the log to 10 rows.
    s.setSetting(RETENTION_SETTINGS.maxRows, '10');
    s.close();
    const ignored: QuorumError[] = [];
    const again = openStore({ file, onSettingIgnored: (e) => ignored.push(e) });
    expect(again.retention).toEqual({ maxAgeDays: 90, maxRows: 1_000_000 });
    again.close();
    expect(ignored.map((e) => e.code)).toEqual(['STORE_BAD_SETTING', 'STORE_BAD_SETTING']);
    expect(ignored[0]!.message).toMatch(/requestLog\.maxAgeDays is "ninety".*default, 90, applies/);
    expect(ignored[0]!.hint).toMatch(/quorum settings set request-log-max-age/);
    expect(ignored[1]!.message).toMatch(
      /requestLog\.maxRows is "10"; it must be a whole number from 1000 to 100000000/,
    );
    // Readers do not judge retention at all.
    const reader = openStore({ file, readonly: true, onSettingIgnored: (e) => ignored.push(e) });
    reader.close();
    expect(ignored).toHaveLength(2);
  });

  it('quorum settings and quorum settings set still work with a bad stored value, so it can be corrected', async () => {
    const file = databasePath(tmp.dir);
    const s = openStore({ file });
    s.setSetting(RETENTION_SETTINGS.maxAgeDays, '0');
    s.close();
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
    expect(await main(['settings', '--data-dir', tmp.dir], io)).toBe(0);
    expect(await main(['clients', '--data-dir', tmp.dir], io)).toBe(0);
    expect(await main(['settings', 'set', 'request-log-max-age', '30', '--data-dir', tmp.dir], io)).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/request-log-max-age is now 30 days/);
    const fixed = openStore({ file });
    expect(fixed.retention.maxAgeDays).toBe(30);
    fixed.close();
  });
});
