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

export type QueuedWrite = { kind: 'activation'; record: ActivationRecord } | { kind: 'refusal'; record: RefusalRecord };

/** How many distinct addresses a client row remembers. */
const MAX_ADDRESSES = 4;

interface ExistingClient {
  rowid: number;
  machine_name: string;
  address: string;
  addresses: string;
  product_id: string;
  license_state: number;
  is_vm: number;
}

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
  readonly #catalog: ProductCatalog;
  readonly #getClient: Statement;
  readonly #indexText: Statement;
  readonly #insertClient: Statement;
  readonly #updateClient: Statement;
  readonly #insertLog: Statement;
  readonly #upsertCmid: Statement;
  readonly #removeCmid: Statement;
  readonly #setCapacity: Statement;
  readonly #bumpCounter: Statement;
  readonly #bumpTotal: Statement;

  constructor(db: Database, catalog: ProductCatalog) {
    this.#catalog = catalog;
    this.#getClient = db.prepare(
      'SELECT rowid, machine_name, address, addresses, product_id, license_state, is_vm FROM clients WHERE cmid = ?',
    );
    this.#indexText = db.prepare(
      'INSERT OR REPLACE INTO clients_text (rowid, machine_name, address, cmid) VALUES (?, ?, ?, ?)',
    );
    this.#insertClient = db.prepare(`INSERT INTO clients
      (cmid, machine_name, address, addresses, product_id, product_name, application_id, license_state, is_vm,
       first_seen, last_seen, request_count, last_result)
      VALUES (@cmid, @machineName, @address, @addresses, @productId, @productName, @applicationId, @licenseState,
       @isVm, @at, @at, 1, @result)`);
    this.#updateClient = db.prepare(`UPDATE clients SET machine_name = @machineName, address = @address,
      addresses = @addresses, product_id = @productId, product_name = @productName, application_id = @applicationId,
      license_state = @licenseState, is_vm = @isVm, last_seen = MAX(last_seen, @at),
      request_count = request_count + 1, last_result = @result WHERE cmid = @cmid`);
    this.#insertLog = db.prepare(`INSERT INTO request_log
      (at, result, count_needed, count, machine_name, address, cmid, client_time, is_vm, license_state,
       remaining_minutes, product_id)
      VALUES (@at, @result, @countNeeded, @count, @machineName, @address, @cmid, @clientTime, @isVm, @licenseState,
       @remainingMinutes, @productId)`);
    this.#upsertCmid =
      db.prepare(`INSERT INTO cmids (application_id, cmid, last_seen, machine_name, address, product_id)
      VALUES (@applicationId, @cmid, @lastSeen, @machineName, @address, @productId)
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
      else this.#writeRefusal(item.record, counters);
    }
    for (const { parts, a, b } of counters.entries.values()) this.#bumpCounter.run(...parts, a, b);
    for (const { parts, a } of totals.entries.values()) if (a !== 0) this.#bumpTotal.run(...parts, a);
  }

  #writeActivation(r: ActivationRecord, counters: DeltaMap, totals: DeltaMap): void {
    const { input, decision } = r;
    const isVm = input.isVm ? 1 : 0;
    const old = this.#getClient.get(input.cmid) as ExistingClient | undefined;
    const addresses = [input.address, ...(old?.addresses.split(',') ?? []).filter((a) => a && a !== input.address)]
      .slice(0, MAX_ADDRESSES)
      .join(',');
    const row = {
      cmid: input.cmid,
      machineName: input.machineName,
      address: input.address,
      addresses,
      productId: input.productId,
      productName: this.#catalog.byId(input.productId)?.displayName ?? input.productId,
      applicationId: input.applicationId,
      licenseState: input.licenseState,
      isVm,
      at: r.at,
      result: decision.result,
    };
    if (old) {
      this.#updateClient.run(row);
      if (old.machine_name !== input.machineName || old.address !== input.address) {
        this.#indexText.run(old.rowid, input.machineName, input.address, input.cmid);
      }
      if (old.product_id !== input.productId || old.license_state !== input.licenseState || old.is_vm !== isVm) {
        totals.add([old.product_id, old.license_state, old.is_vm], -1);
        totals.add([input.productId, input.licenseState, isVm], 1);
      }
    } else {
      const rowid = this.#insertClient.run(row).lastInsertRowid;
      this.#indexText.run(rowid, input.machineName, input.address, input.cmid);
      totals.add([input.productId, input.licenseState, isVm], 1);
    }
    this.#insertLog.run({
      at: r.at,
      result: decision.result,
      countNeeded: decision.threshold,
      count: decision.count,
      machineName: input.machineName,
      address: input.address,
      cmid: input.cmid,
      clientTime: input.clientTime,
      isVm,
      licenseState: input.licenseState,
      remainingMinutes: input.remainingMinutes,
      productId: input.productId,
    });
    for (const c of r.changes) this.#applyChange(c);
    countRequest(counters, decision.result, input.applicationId, input.productId, input.licenseState);
  }

  #writeRefusal(r: RefusalRecord, counters: DeltaMap): void {
    this.#insertLog.run({
      at: r.at,
      result: r.result,
      countNeeded: 0,
      count: 0,
      machineName: r.machineName ?? '',
      address: r.address,
      cmid: r.cmid ?? '',
      clientTime: r.clientTime ?? 0,
      isVm: r.isVm ? 1 : 0,
      licenseState: r.licenseState ?? -1,
      remainingMinutes: r.remainingMinutes ?? 0,
      productId: r.productId ?? '',
    });
    countRequest(counters, r.result, r.applicationId, r.productId, r.licenseState);
  }

  #applyChange(c: EngineChange): void {
    switch (c.kind) {
      case 'cmid-upsert':
        this.#upsertCmid.run(c.entry);
        break;
      case 'cmid-remove':
        this.#removeCmid.run(c.applicationId, c.cmid);
        break;
      case 'capacity':
        this.#setCapacity.run(c.applicationId, c.capacity);
        break;
    }
  }
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
