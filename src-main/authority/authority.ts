/**
 * The embedded authority of one data directory: issues host keys and keeps the ledger that
 * enforces the key limits (docs/model.md, "Host keys and their limits"): at most six distinct hosts
 * per key, and per host at most ten activations (the first plus nine reactivations).
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/domain/clock.js';
import type { ProductFamily } from '../../shared/domain/products.js';
import { lastFiveOf, maskHostKey, type HostKey } from '../../shared/keys/index.js';
import { tagLabel, type AuthoritySecret } from './authority-secret.js';
import {
  ACTIVATIONS_PER_HOST,
  HOSTS_PER_KEY,
  forgedKey,
  hostLimit,
  reactivationLimit,
  wrongAuthority,
} from './errors.js';
import { isGenuine, mintHostKey } from './key-authenticator.js';

export type ActivationMethod = 'online' | 'offline';

export interface ActivationGrant {
  /** Distinct hosts of the key, this one included. */
  hostsUsed: number;
  /** This host's activations of the key, this one included (1 = first activation). */
  activationNumber: number;
  at: number;
}

export interface LedgerHost {
  hostId: string;
  activations: number;
  firstAt: number;
  lastAt: number;
}

export interface LedgerEntry {
  serial: number;
  maskedKey: string;
  family: ProductFamily;
  generation: number;
  issuedAt: number;
  hostsUsed: number;
  hostsLimit: number;
  activationsPerHostLimit: number;
  hosts: LedgerHost[];
}

export class Authority {
  readonly tag: string;

  constructor(
    private readonly db: Database,
    private readonly secret: AuthoritySecret,
    private readonly clock: Clock,
    /** Where this authority lives, for messages. */
    private readonly where: string,
  ) {
    this.tag = tagLabel(secret.tag);
  }

  issue(family: ProductFamily, generation: number): HostKey {
    return this.db
      .transaction(() => {
        const { next } = this.db.prepare('SELECT COALESCE(MAX(serial), 0) + 1 AS next FROM authority_key').get() as {
          next: number;
        };
        const key = mintHostKey(this.secret, { family, generation, serial: next });
        this.db
          .prepare(
            'INSERT INTO authority_key (serial, family, generation, last_five, issued_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(next, family, generation, lastFiveOf(key.text), this.clock.now());
        return key;
      })
      .immediate();
  }

  /**
   * Grants or refuses one activation of `hostId` with `key`, in one immediate transaction so that
   * hosts activating at once against the same authority cannot both take the last place.
   * `requestRef` (an offline installation ID) makes a repeated request return its first answer.
   */
  activate(key: HostKey, hostId: string, method: ActivationMethod, requestRef?: string): ActivationGrant {
    if (key.authorityTag !== this.secret.tag) {
      throw wrongAuthority(key.text, tagLabel(key.authorityTag), this.tag, this.where);
    }
    if (!isGenuine(this.secret, key)) throw forgedKey(key.text);
    return this.db
      .transaction((): ActivationGrant => {
        if (requestRef !== undefined) {
          const seen = this.db
            .prepare('SELECT hosts_used, activation_number, at FROM authority_activation WHERE request_ref = ?')
            .get(requestRef) as { hosts_used: number; activation_number: number; at: number } | undefined;
          if (seen) return { hostsUsed: seen.hosts_used, activationNumber: seen.activation_number, at: seen.at };
        }
        // A key whose issue record was lost (the ledger restored from an older copy) is still genuine.
        this.db
          .prepare(
            'INSERT OR IGNORE INTO authority_key (serial, family, generation, last_five, issued_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(key.serial, key.family, key.generation, lastFiveOf(key.text), this.clock.now());
        const hosts = this.db
          .prepare('SELECT host_id, COUNT(*) AS n FROM authority_activation WHERE serial = ? GROUP BY host_id')
          .all(key.serial) as { host_id: string; n: number }[];
        const mine = hosts.find((h) => h.host_id === hostId);
        if (mine && mine.n >= ACTIVATIONS_PER_HOST) throw reactivationLimit(key.text, mine.n);
        if (!mine && hosts.length >= HOSTS_PER_KEY) throw hostLimit(key.text, hosts.length);
        const grant = {
          hostsUsed: mine ? hosts.length : hosts.length + 1,
          activationNumber: (mine?.n ?? 0) + 1,
          at: this.clock.now(),
        };
        this.db
          .prepare(
            `INSERT INTO authority_activation (serial, host_id, at, method, hosts_used, activation_number, request_ref)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(key.serial, hostId, grant.at, method, grant.hostsUsed, grant.activationNumber, requestRef ?? null);
        return grant;
      })
      .immediate();
  }

  ledger(): LedgerEntry[] {
    const keys = this.db
      .prepare('SELECT serial, family, generation, last_five, issued_at FROM authority_key ORDER BY serial')
      .all() as { serial: number; family: ProductFamily; generation: number; last_five: string; issued_at: number }[];
    const hostRows = this.db.prepare(
      `SELECT host_id, COUNT(*) AS n, MIN(at) AS first_at, MAX(at) AS last_at FROM authority_activation
       WHERE serial = ? GROUP BY host_id ORDER BY first_at`,
    );
    return keys.map((k) => {
      const hosts = (hostRows.all(k.serial) as { host_id: string; n: number; first_at: number; last_at: number }[]).map(
        (h) => ({ hostId: h.host_id, activations: h.n, firstAt: h.first_at, lastAt: h.last_at }),
      );
      return {
        serial: k.serial,
        maskedKey: maskHostKey(`XXXXXXXXXXXXXXXXXXXX${k.last_five}`),
        family: k.family,
        generation: k.generation,
        issuedAt: k.issued_at,
        hostsUsed: hosts.length,
        hostsLimit: HOSTS_PER_KEY,
        activationsPerHostLimit: ACTIVATIONS_PER_HOST,
        hosts,
      };
    });
  }
}
