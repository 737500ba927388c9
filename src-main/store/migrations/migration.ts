import type { Database } from 'better-sqlite3';

/**
 * One schema step. `up` runs inside a transaction that also sets `PRAGMA user_version` to
 * `version`, so a step is applied entirely or not at all.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** `PRAGMA application_id` of a Quorum database ("QRM1"), so a foreign SQLite file is recognised. */
export const QUORUM_APPLICATION_ID = 0x51524d31;
