/**
 * The Overview's picture of the count: one stored snapshot per day and threshold group (table
 * `count_snapshots`, schema 9), written by the watch service's housekeeping, and the forecast of
 * the count if no client renews, from the engine's CMID tables (each CMID stops counting 30 days
 * after it was last seen; the tables hold at most twice the highest threshold, so this is cheap).
 */
import type { Database } from 'better-sqlite3';
import { CMID_LIFETIME_MS, DAY_MS } from '../../shared/domain/timings.js';
import type { CountHistoryView } from '../../shared/ipc/overview-channels.js';
import type { HostStatusView } from '../../shared/ipc/views.js';
import type { CmidEntry } from '../engine/types.js';

export const HISTORY_DAYS = 90;
const FORECAST_DAYS = 30;

function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function dayText(ms: number): string {
  return new Date(dayStart(ms)).toISOString().slice(0, 10);
}

/** Today's row per threshold group, replaced through the day so it ends as the day's last count. */
export function writeDailySnapshot(db: Database, status: HostStatusView, now: number): void {
  const upsert = db.prepare(
    `INSERT INTO count_snapshots (day, application_id, threshold, count, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (application_id, threshold, day) DO UPDATE SET count = excluded.count, at = excluded.at`,
  );
  db.transaction(() => {
    for (const app of status.applications) {
      for (const t of app.thresholds) upsert.run(dayText(now), app.applicationId, t.threshold, app.count, now);
    }
  })();
}

/** The count at each future day if nobody renews: CMIDs still within 30 days of their last sighting. */
export function forecastCounts(lastSeen: readonly number[], now: number): { at: number; count: number }[] {
  const points: { at: number; count: number }[] = [];
  for (let d = 0; d <= FORECAST_DAYS; d++) {
    const at = now + d * DAY_MS;
    const count = lastSeen.filter((t) => t + CMID_LIFETIME_MS > at).length;
    points.push({ at, count });
    if (count === 0) break;
  }
  return points;
}

export function countHistory(
  db: Database,
  status: HostStatusView,
  cmids: readonly CmidEntry[],
  now: number,
  days: number = HISTORY_DAYS,
): CountHistoryView[] {
  const read = db.prepare(
    `SELECT day, count FROM count_snapshots WHERE application_id = ? AND threshold = ? AND day >= ? ORDER BY day`,
  );
  const since = dayText(now - (days - 1) * DAY_MS);
  const out: CountHistoryView[] = [];
  for (const app of status.applications) {
    const seen = cmids.filter((c) => c.applicationId === app.applicationId).map((c) => c.lastSeen);
    const forecast = forecastCounts(seen, now);
    for (const t of app.thresholds) {
      const rows = read.all(app.applicationId, t.threshold, since) as { day: string; count: number }[];
      // Today's point is the count now: the stored row of today is rewritten only every minute.
      const days = rows
        .filter((r) => r.day !== dayText(now))
        .map((r) => ({ at: Date.parse(`${r.day}T00:00:00Z`), count: r.count }));
      days.push({ at: now, count: app.count });
      out.push({
        applicationId: app.applicationId,
        applicationName: app.name,
        threshold: t.threshold,
        products: t.products,
        covered: t.uncovered.length < t.products.length,
        days,
        forecast,
        belowAt: t.met ? t.safeUntil : null,
      });
    }
  }
  return out;
}
