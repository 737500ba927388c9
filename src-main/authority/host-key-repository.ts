/**
 * The host side's rows: this installation's host id and the installed key with its activation
 * state. Takes a better-sqlite3 handle (the store's or openKeyDatabase's).
 */
import type { Database } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { ProductFamily } from '../../shared/domain/products.js';
import { parseHostKey, type HostKey } from '../../shared/keys/index.js';
import { QuorumError } from '../../shared/domain/errors.js';
import type { ActivationMethod } from './authority.js';
import { ensureHostKeyTables } from './key-database.js';

export interface HostKeyActivation {
  method: ActivationMethod;
  /** 'embedded' or the authority's data directory. */
  authority: string;
  at: number;
  hostsUsed: number;
  activationNumber: number;
}

export interface InstalledHostKey {
  key: HostKey;
  installedAt: number;
  activation: HostKeyActivation | null;
  /** The installation ID printed by `key activate --offline` and awaiting its confirmation ID. */
  pendingIid: string | null;
}

interface HostKeyRow {
  key_text: string;
  family: ProductFamily;
  generation: number;
  installed_at: number;
  state: string;
  method: ActivationMethod | null;
  authority: string | null;
  activated_at: number | null;
  hosts_used: number | null;
  activation_number: number | null;
  pending_iid: string | null;
}

export class HostKeyRepository {
  constructor(private readonly db: Database) {
    ensureHostKeyTables(db);
  }

  /** This data directory's host id (10 hex digits), created on first use. */
  hostId(now: number): string {
    const row = this.db.prepare('SELECT host_id FROM host_installation WHERE id = 1').get() as
      | { host_id: string }
      | undefined;
    if (row) return row.host_id;
    const id = randomBytes(5).toString('hex');
    this.db.prepare('INSERT OR IGNORE INTO host_installation (id, host_id, created_at) VALUES (1, ?, ?)').run(id, now);
    return (this.db.prepare('SELECT host_id FROM host_installation WHERE id = 1').get() as { host_id: string }).host_id;
  }

  get(): InstalledHostKey | undefined {
    const row = this.db.prepare('SELECT * FROM host_key WHERE id = 1').get() as HostKeyRow | undefined;
    if (!row) return undefined;
    const parsed = parseHostKey(row.key_text);
    if (!parsed.ok) {
      throw new QuorumError(
        'KEY_STORE_DAMAGED',
        `The installed host key in this data directory no longer checks (${parsed.error.code}).`,
        'Install the key again: quorum key uninstall, then quorum key install KEY.',
      );
    }
    const activated = row.state === 'activated' && row.method !== null && row.activated_at !== null;
    return {
      key: parsed.key,
      installedAt: row.installed_at,
      activation: activated
        ? {
            method: row.method!,
            authority: row.authority ?? 'embedded',
            at: row.activated_at!,
            hostsUsed: row.hosts_used ?? 0,
            activationNumber: row.activation_number ?? 0,
          }
        : null,
      pendingIid: row.pending_iid,
    };
  }

  /** The installed key's stored text, unchecked (undefined when none is installed). */
  installedKeyText(): string | undefined {
    const row = this.db.prepare('SELECT key_text FROM host_key WHERE id = 1').get() as { key_text: string } | undefined;
    return row?.key_text;
  }

  /** Replaces any installed key; the host must then be activated (again). */
  install(key: HostKey, now: number): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO host_key (id, key_text, family, generation, installed_at, state)
         VALUES (1, ?, ?, ?, ?, 'installed')`,
      )
      .run(key.text, key.family, key.generation, now);
  }

  setActivated(a: HostKeyActivation): void {
    this.db
      .prepare(
        `UPDATE host_key SET state = 'activated', method = ?, authority = ?, activated_at = ?, hosts_used = ?,
         activation_number = ?, pending_iid = NULL WHERE id = 1`,
      )
      .run(a.method, a.authority, a.at, a.hostsUsed, a.activationNumber);
  }

  setPendingIid(iid: string): void {
    this.db.prepare('UPDATE host_key SET pending_iid = ? WHERE id = 1').run(iid);
  }

  uninstall(): boolean {
    return this.db.prepare('DELETE FROM host_key WHERE id = 1').run().changes > 0;
  }
}
