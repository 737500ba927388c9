/**
 * Many clients written straight into a database's client tables (the inventory, its text index and
 * the totals), as the store's writer would leave them, for benchmarks that need a big site: far
 * faster than activating them one by one. A spread-out fleet: last seen within 200 days, names and
 * addresses in no particular order, every built-in product, a third of them VMs.
 */
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { BUILTIN_PRODUCTS, DAY_MS } from '../shared/domain/index.js';

/** `00000000-0000-4000-8000-0000xxxxxxxx`: every benchmark figure so far used these. */
export function structuredCmidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** A random-looking version 4 GUID, the same for the same n (as real clients' CMIDs look). */
export function randomCmidOf(n: number): string {
  const h = createHash('sha1').update(String(n)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Inserts `count` clients in one transaction; `now` is the newest last-seen time. */
export function seedClients(db: Database, count: number, now: number, cmids: 'structured' | 'random' = 'structured') {
  const ins = db.prepare(`INSERT INTO clients (cmid, machine_name, address, addresses, product_id, product_name,
    application_id, license_state, is_vm, first_seen, last_seen, request_count, last_result) VALUES
    (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const results = ['granted', 'granted', 'granted', 'count-insufficient'];
  db.transaction(() => {
    const from = db.prepare('SELECT COALESCE(MAX(rowid), 0) FROM clients').pluck().get() as number;
    for (let n = 0; n < count; n++) {
      const p = BUILTIN_PRODUCTS[n % BUILTIN_PRODUCTS.length]!;
      const h = (n * 2654435761) >>> 0;
      const lastSeen = now - (h % ((200 * DAY_MS) / 1000)) * 1000;
      const address = `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
      ins.run(
        cmids === 'random' ? randomCmidOf(h) : structuredCmidOf(h),
        `pc-${(h % 10_000_000).toString().padStart(7, '0')}-${n}`,
        address,
        address,
        p.id,
        p.displayName,
        p.applicationId,
        h % 7,
        n % 3 === 0 ? 1 : 0,
        lastSeen - 90 * DAY_MS,
        lastSeen,
        1 + (h % 60),
        results[h % 4]!,
      );
    }
    db.prepare(
      `INSERT INTO clients_text (rowid, machine_name, address, cmid)
       SELECT rowid, machine_name, address, cmid FROM clients WHERE rowid > ?`,
    ).run(from);
    db.prepare(
      `INSERT INTO client_totals (product_id, license_state, is_vm, n)
       SELECT product_id, license_state, is_vm, COUNT(*) FROM clients WHERE rowid > ? GROUP BY 1, 2, 3
       ON CONFLICT (product_id, license_state, is_vm) DO UPDATE SET n = n + excluded.n`,
    ).run(from);
  })();
}
