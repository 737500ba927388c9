/**
 * Rebuilds the CMID tables from a persisted snapshot. The database may be damaged or hand-edited,
 * so entries are checked one by one; a bad entry is skipped, never the whole table.
 */
import type { ProductCatalog } from '../../shared/domain/index.js';
import { CmidTable } from './cmid-table.js';
import type { CmidEntry, EngineChange, EngineSnapshot } from './types.js';

export interface RestoredTables {
  tables: Map<string, CmidTable>;
  /** What the store must apply to match: capacities reconstructed, CMIDs evicted to fit the cache. */
  changes: EngineChange[];
  /** Entries skipped because a field was missing or malformed. */
  skipped: number;
}

export function restoreTables(snapshot: EngineSnapshot, catalog: ProductCatalog): RestoredTables {
  const changes: EngineChange[] = [];
  const valid: CmidEntry[] = [];
  let skipped = 0;
  for (const e of Array.isArray(snapshot?.cmids) ? snapshot.cmids : []) {
    if (isValidEntry(e)) valid.push({ ...e, applicationId: e.applicationId.toLowerCase(), cmid: e.cmid.toLowerCase() });
    else skipped++;
  }
  // Oldest first, so each table's recency order is rebuilt by plain appends.
  valid.sort((a, b) => a.lastSeen - b.lastSeen);

  const recorded = new Map<string, number>();
  for (const [id, capacity] of Object.entries(snapshot?.capacities ?? {})) {
    if (Number.isSafeInteger(capacity) && capacity >= 0) recorded.set(id.toLowerCase(), capacity);
  }

  // The products present in the table were requested, so the cache is at least twice their highest threshold.
  const implied = new Map<string, number>();
  for (const e of valid) {
    const threshold = catalog.byId(e.productId)?.threshold ?? 0;
    implied.set(e.applicationId, Math.max(implied.get(e.applicationId) ?? 0, 2 * threshold));
  }

  const tables = new Map<string, CmidTable>();
  for (const id of new Set([...recorded.keys(), ...implied.keys()])) {
    // With neither a recorded capacity nor a known product, keep every entry rather than lose data.
    const capacity =
      Math.max(recorded.get(id) ?? 0, implied.get(id) ?? 0) || valid.filter((e) => e.applicationId === id).length;
    tables.set(id, new CmidTable(id, capacity));
    if (capacity !== recorded.get(id)) changes.push({ kind: 'capacity', applicationId: id, capacity });
  }
  for (const e of valid) {
    tables.get(e.applicationId)!.record({
      cmid: e.cmid,
      lastSeen: e.lastSeen,
      machineName: e.machineName,
      address: e.address,
      productId: e.productId,
    });
  }
  for (const table of tables.values()) {
    for (const cmid of table.evictOverflow()) {
      changes.push({ kind: 'cmid-remove', applicationId: table.applicationId, cmid });
    }
  }
  return { tables, changes, skipped };
}

function isValidEntry(e: unknown): e is CmidEntry {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    typeof r.applicationId === 'string' &&
    r.applicationId !== '' &&
    typeof r.cmid === 'string' &&
    r.cmid !== '' &&
    typeof r.lastSeen === 'number' &&
    Number.isFinite(r.lastSeen) &&
    typeof r.machineName === 'string' &&
    typeof r.address === 'string' &&
    typeof r.productId === 'string'
  );
}
