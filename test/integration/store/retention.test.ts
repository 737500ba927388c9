import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, VirtualClock } from '../../../shared/domain/index.js';
import { databasePath, openStore, RETENTION_SETTINGS } from '../../../src-main/store/open-store.js';
import { activation, tempDir } from './fixtures.js';

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

  it('reads retention from settings when not given, and rejects a bad setting with its name', () => {
    const file = databasePath(tmp.dir);
    const s = openStore({ file });
    s.setSetting(RETENTION_SETTINGS.maxRows, '500');
    s.close();
    const again = openStore({ file });
    expect(again.retention).toEqual({ maxAgeDays: 90, maxRows: 500 });
    again.setSetting(RETENTION_SETTINGS.maxAgeDays, 'ninety');
    again.close();
    expect(() => openStore({ file })).toThrow(expect.objectContaining({ code: 'STORE_BAD_SETTING' }));
    expect(() => openStore({ file })).toThrow(/requestLog\.maxAgeDays/);
  });
});
