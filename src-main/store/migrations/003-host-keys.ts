/**
 * Version 3: the host key and its activation state, this installation's host id, and the embedded
 * authority's issued keys and activation ledger (src-main/authority/schema.ts holds the tables).
 *
 * Not yet appended to MIGRATIONS: test/integration/store/migrations.test.ts seeds version-1 rows
 * into every older version, which a database at version 2 cannot take (its client totals stay
 * empty). Until the store registers this step, openKeyDatabase and HostKeyRepository create the
 * same tables themselves (idempotently).
 */
import { upHostKeys } from '../host-key-schema.js';
import type { Migration } from './migration.js';

export const migration003: Migration = {
  version: 3,
  name: 'host-keys',
  up: upHostKeys,
};
