/**
 * The statements one group commit runs: for each record the inventory row, the request log entry
 * and the engine's CMID changes; per batch the counters and inventory totals, summed first so a
 * batch of a thousand activations touches each counter row once.
 */
import type { Database, Statement } from 'better-sqlite3';
import { isLicenseState } from '../../shared/domain/license-state.js';
import type { ProductCatalog } from '../../shared/domain/products.js';
import type { RequestResult } from '../../shared/domain/records.js';
import { isFailure } from '../engine/counters.js';
import type { EngineChange } from '../engine/types.js';
import type { ActivationRecord, RefusalRecord } from './types.js';
import type { ClientDbRow } from './client-query.js';
import { normalizeAddress } from '../../shared/domain/address.js';
import { wellFormed } from './well-formed.js';

export type QueuedWrite =
  | { kind: 'activation'; record: ActivationRecord }
  | { kind: 'refusal'; record: RefusalRecord }
  /** CMID table changes with no request behind them: expiry sweeps and repairs found at restore. */
  | { kind: 'engine-changes'; changes: EngineChange[] };

/** How many distinct addresses a client row remembers. */
const MAX_ADDRESSES = 4;

/** The stored row an activation updates: the read columns of the inventory, plus its rowid and address history. */
type ExistingClient = Omit<ClientDbRow, 'cmid' | 'first_seen' | 'request_count'> & { rowid: number; addresses: string };

/**
 * The inventory columns an activation may change, in a fixed order: bit i of an update's mask
 * says column i is written. Only changed columns are written because SQLite rewrites the entry of
 * every index over a written column, and each rewritten entry is WAL pages in this commit; a
 * renewal from an unchanged machine then touches only last_seen and request_count's indexes.
 */
const UPDATABLE = [
  'machine_name',
  'address',
  'addresses',
  'product_id',
  'product_name',
  'application_id',
  'license_state',
  'is_vm',
  'last_seen',
  'last_result',
] as const;

class DeltaMap {
  readonly entries = new Map<string, { parts: (string | number)[]; a: number; b: number }>();
  add(parts: (string | number)[], a: number, b = 0): void {
    const key = parts.join('\u0000');
    const e = this.entries.get(key);
    if (e) {
      e.a += a;
      e.b += b;
    } else this.entries.set(key, { parts, a, b });
  }
}

export class ActivationWriter {
  readonly #db: Database;
  readonly #catalog: ProductCatalog;
  readonly #getClient: Statement;
  readonly #indexText: Statement;
  readonly #insertClient: Statement;
  /** UPDATE statements by the mask of columns they write, prepared on first use (a handful in practice). */
  readonly #updateClient = new Map<number, Statement>();
  readonly #insertLog: Statement;
  readonly #upsertCmid: Statement;
  readonly #removeCmid: Statement;
  readonly #setCapacity: Statement;
  readonly #bumpCounter: Statement;
  readonly #bumpTotal: Statement;

  constructor(db: Database, catalog: ProductCatalog) {
    this.#db = db;
    this.#catalog = catalog;
    this.#getClient = db.prepare(`SELECT rowid, ${UPDATABLE.join(', ')} FROM clients WHERE cmid = ?`);
    this.#indexText = db.prepare(
      'INSERT OR REPLACE INTO clients_text (rowid, machine_name, address, cmid) VALUES (?, ?, ?, ?)',
    );
    this.#insertClient = db.prepare(`INSERT INTO clients
      (cmid, machine_name, address, addresses, product_id, product_name, application_id, license_state, is_vm,
       first_seen, last_seen, request_count, last_result)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`);
    this.#insertLog = db.prepare(`INSERT INTO request_log
      (at, result, count_needed, count, machine_name, address, cmid, client_time, is_vm, license_state,
       remaining_minutes, product_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#upsertCmid =
      db.prepare(`INSERT INTO cmids (application_id, cmid, last_seen, machine_name, address, product_id)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (application_id, cmid) DO UPDATE SET last_seen = excluded.last_seen,
      machine_name = excluded.machine_name, address = excluded.address, product_id = excluded.product_id`);
    this.#removeCmid = db.prepare('DELETE FROM cmids WHERE application_id = ? AND cmid = ?');
    this.#setCapacity = db.prepare(`INSERT INTO capacities (application_id, capacity) VALUES (?, ?)
      ON CONFLICT (application_id) DO UPDATE SET capacity = excluded.capacity`);
    this.#bumpCounter =
      db.prepare(`INSERT INTO counters (scope, key, license_state, total, failed) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (scope, key, license_state) DO UPDATE SET total = total + excluded.total,
      failed = failed + excluded.failed`);
    this.#bumpTotal = db.prepare(`INSERT INTO client_totals (product_id, license_state, is_vm, n) VALUES (?, ?, ?, ?)
      ON CONFLICT (product_id, license_state, is_vm) DO UPDATE SET n = n + excluded.n`);
  }

  /** Runs inside the caller's transaction. */
  write(items: QueuedWrite[]): void {
    const counters = new DeltaMap();
    const totals = new DeltaMap();
    for (const item of items) {
      if (item.kind === 'activation') this.#writeActivation(item.record, counters, totals);
      else if (item.kind === 'refusal') this.#writeRefusal(item.record, counters);
      else for (const c of item.changes) this.#applyChange(c);
    }
    for (const { parts, a, b } of counters.entries.values()) this.#bumpCounter.run(...parts, a, b);
    for (const { parts, a } of totals.entries.values()) if (a !== 0) this.#bumpTotal.run(...parts, a);
  }

  /** A client's text, as the trigram full-text index holds it. */
  #index(rowid: number | bigint, input: { machineName: string; address: string; cmid: string }): void {
    this.#indexText.run(rowid, input.machineName, input.address, input.cmid);
  }

  #writeActivation(r: ActivationRecord, counters: DeltaMap, totals: DeltaMap): void {
    const { decision } = r;
    // Addresses are stored in one form (the listener already normalizes; this keeps it true for
    // every caller), and names as well-formed text, so the text filter finds what the table shows.
    const address = normalizeAddress(r.input.address);
    const machineName = wellFormed(r.input.machineName);
    const same = address === r.input.address && machineName === r.input.machineName;
    const input = same ? r.input : { ...r.input, address, machineName };
    const isVm = input.isVm ? 1 : 0;
    const productName = this.#catalog.byId(input.productId)?.displayName ?? input.productId;
    const old = this.#getClient.get(input.cmid) as ExistingClient | undefined;
    if (old) {
      this.#updateExisting(old, input === r.input ? r : { ...r, input }, productName, isVm);
      if (old.machine_name !== input.machineName || old.address !== input.address) {
        this.#index(old.rowid, input);
      }
      if (old.product_id !== input.productId || old.license_state !== input.licenseState || old.is_vm !== isVm) {
        totals.add([old.product_id, old.license_state, old.is_vm], -1);
        totals.add([input.productId, input.licenseState, isVm], 1);
      }
    } else {
      const rowid = this.#insertClient.run(
        input.cmid,
        input.machineName,
        input.address,
        input.address,
        input.productId,
        productName,
        input.applicationId,
        input.licenseState,
        isVm,
        r.at,
        r.at,
        decision.result,
      ).lastInsertRowid;
      this.#index(rowid, input);
      totals.add([input.productId, input.licenseState, isVm], 1);
    }
    this.#insertLog.run(
      r.at,
      decision.result,
      decision.threshold,
      decision.count,
      input.machineName,
      input.address,
      input.cmid,
      input.clientTime,
      isVm,
      input.licenseState,
      input.remainingMinutes,
      input.productId,
    );
    for (const c of r.changes) this.#applyChange(c);
    countRequest(counters, decision.result, input.applicationId, input.productId, input.licenseState);
  }

  /** request_count always grows; of the other columns only those whose value differs are written. */
  #updateExisting(old: ExistingClient, r: ActivationRecord, productName: string, isVm: number): void {
    const { input } = r;
    const next: Record<(typeof UPDATABLE)[number], string | number> = {
      machine_name: input.machineName,
      address: input.address,
      addresses: recentAddresses(input.address, old.addresses),
      product_id: input.productId,
      product_name: productName,
      application_id: input.applicationId,
      license_state: input.licenseState,
      is_vm: isVm,
      // A batch may hold an older request after a newer one; last seen never goes back.
      last_seen: Math.max(old.last_seen, r.at),
      last_result: r.decision.result,
    };
    let mask = 0;
    const values: (string | number)[] = [];
    for (let i = 0; i < UPDATABLE.length; i++) {
      const column = UPDATABLE[i]!;
      if (next[column] !== old[column]) {
        mask |= 1 << i;
        values.push(next[column]);
      }
    }
    values.push(old.rowid);
    this.#updateStatement(mask).run(values);
  }

  #updateStatement(mask: number): Statement {
    let stmt = this.#updateClient.get(mask);
    if (!stmt) {
      const set = ['request_count = request_count + 1'];
      UPDATABLE.forEach((column, i) => {
        if (mask & (1 << i)) set.push(`${column} = ?`);
      });
      stmt = this.#db.prepare(`UPDATE clients SET ${set.join(', ')} WHERE rowid = ?`);
      this.#updateClient.set(mask, stmt);
    }
    return stmt;
  }

  #writeRefusal(r: RefusalRecord, counters: DeltaMap): void {
    this.#insertLog.run(
      r.at,
      r.result,
      0,
      0,
      r.machineName ?? '',
      r.address,
      r.cmid ?? '',
      r.clientTime ?? 0,
      r.isVm ? 1 : 0,
      r.licenseState ?? -1,
      r.remainingMinutes ?? 0,
      r.productId ?? '',
    );
    countRequest(counters, r.result, r.applicationId, r.productId, r.licenseState);
  }

  #applyChange(c: EngineChange): void {
    switch (c.kind) {
      case 'cmid-upsert': {
        const e = c.entry;
        this.#upsertCmid.run(e.applicationId, e.cmid, e.lastSeen, e.machineName, e.address, e.productId);
        break;
      }
      case 'cmid-remove':
        this.#removeCmid.run(c.applicationId, c.cmid);
        break;
      case 'capacity':
        this.#setCapacity.run(c.applicationId, c.capacity);
        break;
    }
  }
}

/** Distinct recent addresses, newest first, comma-separated, bounded. */
function recentAddresses(address: string, previous: string): string {
  const list = [address];
  for (const a of previous.split(',')) {
    if (list.length >= MAX_ADDRESSES) break;
    if (a && a !== address) list.push(a);
  }
  return list.join(',');
}

function countRequest(
  counters: DeltaMap,
  result: RequestResult,
  applicationId: string | undefined,
  productId: string | undefined,
  licenseState: number | undefined,
): void {
  // Same rule and same shape as the engine's in-memory counters, so a restart resumes them exactly.
  const failed = isFailure(result) ? 1 : 0;
  const scopes: [string, string | undefined][] = [
    ['all', ''],
    ['application', applicationId],
    ['product', productId],
  ];
  for (const [scope, key] of scopes) {
    if (key === undefined || (scope !== 'all' && key === '')) continue;
    counters.add([scope, key, -1], 1, failed);
    if (licenseState !== undefined && isLicenseState(licenseState)) counters.add([scope, key, licenseState], 1, failed);
  }
}
