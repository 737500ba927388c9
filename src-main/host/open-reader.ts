/**
 * How the read commands (`quorum clients`, `log`, `status`) open a data directory. A host files
 * each acknowledged activation in two steps: the reply waits for one journal row, and the row is
 * filed into the inventory, the request log and the CMID table a few milliseconds later
 * (store/activation-journal.ts). A host killed in between leaves rows that only its next start
 * files; a reader that opened the database read-only would not see them, so an admin looking
 * while the host is down would miss activations that clients were told succeeded.
 *
 * So a reader that finds unfiled rows and no running host files them first, exactly as the
 * host's start would (under the host lock, so no host starts meanwhile), then reads. With a host
 * running, the host files them itself within milliseconds; the reader does not write.
 */
import { QuorumError } from '../../shared/domain/errors.js';
import { databasePath, openStore, type OpenStoreOptions } from '../store/open-store.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { acquireHostLock } from './host-lock.js';

export interface ReaderOptions extends Omit<OpenStoreOptions, 'file' | 'readonly'> {
  /** Told when rows stay unfiled (no write access): the read then lacks them. */
  warn?: (line: string) => void;
}

export function openReader(dataDir: string, options: ReaderOptions = {}): SqliteStore {
  const { warn, ...storeOptions } = options;
  const file = databasePath(dataDir);
  const reader = openStore({ ...storeOptions, file, readonly: true });
  const unfiled = reader.unfiledJournalRows();
  if (unfiled === 0) return reader;
  reader.close();
  try {
    const lock = acquireHostLock(dataDir);
    try {
      openStore({ ...storeOptions, file }).close();
    } finally {
      lock.release();
    }
  } catch (e) {
    if (!(e instanceof QuorumError && e.code === 'HOST_ALREADY_RUNNING')) {
      warn?.(
        `${unfiled} acknowledged activation${unfiled === 1 ? ' is' : 's are'} not in this listing yet: a host stopped before filing them, and they could not be filed now (${e instanceof Error ? e.message : String(e)}). Starting the host files them.`,
      );
    }
  }
  return openStore({ ...storeOptions, file, readonly: true });
}
