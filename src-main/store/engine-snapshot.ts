/**
 * What the engine resumes from after a restart: its CMID tables (bounded by capacity, so small),
 * capacities and cumulative counters. The client inventory is not loaded: start-up stays fast at a
 * million clients.
 */
import type { Database } from 'better-sqlite3';
import type { CmidEntry, CounterSnapshot, EngineSnapshot, RequestCounters } from '../engine/types.js';

interface CounterRow {
  scope: string;
  key: string;
  license_state: number;
  total: number;
  failed: number;
}

function emptyCounters(): RequestCounters {
  return { total: 0, failed: 0, byLicenseState: {} };
}

export function loadEngineSnapshot(db: Database): EngineSnapshot {
  const cmids = db
    .prepare(
      `SELECT application_id AS applicationId, cmid, last_seen AS lastSeen, machine_name AS machineName,
       address, product_id AS productId FROM cmids ORDER BY application_id, last_seen, cmid`,
    )
    .all() as CmidEntry[];
  const capacities: Record<string, number> = {};
  for (const r of db.prepare('SELECT application_id, capacity FROM capacities').all() as {
    application_id: string;
    capacity: number;
  }[]) {
    capacities[r.application_id] = r.capacity;
  }
  const counters: CounterSnapshot = { all: emptyCounters(), byApplication: {}, byProduct: {} };
  for (const r of db.prepare('SELECT scope, key, license_state, total, failed FROM counters').all() as CounterRow[]) {
    let c: RequestCounters;
    if (r.scope === 'all') c = counters.all;
    else {
      const map = r.scope === 'application' ? counters.byApplication : counters.byProduct;
      c = map[r.key] ??= emptyCounters();
    }
    if (r.license_state < 0) {
      c.total = r.total;
      c.failed = r.failed;
    } else c.byLicenseState[r.license_state] = r.total;
  }
  return { cmids, capacities, counters };
}
