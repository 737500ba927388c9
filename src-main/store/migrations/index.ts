/**
 * Every schema step, in order. To add one: create `NNN-name.ts` exporting a Migration with the next
 * version number and append it here. Never edit or reorder a released step.
 */
import type { Migration } from './migration.js';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-client-totals-dns-events.js';
import { migration003 } from './003-host-keys.js';
import { migration004 } from './004-client-group-key.js';
import { migration005 } from './005-activation-journal.js';
import { migration006 } from './006-client-window-indexes.js';
import { migration007 } from './007-client-grams.js';
import { migration008 } from './008-seen-index-text.js';
import { migration009 } from './009-plain-client-indexes.js';
import { migration010 } from './010-console-events-snapshots.js';
import { migration011 } from './011-plain-sort-indexes.js';

export type { Migration } from './migration.js';
export { QUORUM_APPLICATION_ID } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
];
