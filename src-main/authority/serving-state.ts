/**
 * The host-key gate of the host runtime: a host serves clients only once its key is activated,
 * and only the products the key covers.
 */
import type { Database } from 'better-sqlite3';
import { maskHostKey, type KeyCoverage } from '../../shared/keys/index.js';
import type { ServingGate } from '../engine/types.js';
import { dirname, resolve } from 'node:path';
import { resolveDataDir } from '../store/data-dir.js';
import { HostKeyRepository } from './host-key-repository.js';

/**
 * " --data-dir DIR" when the host does not run on the default data directory: the commands in the
 * reason are copied as shown, and without it they would act on another installation.
 */
function dataDirFlag(db: Database): string {
  if (db.memory || db.name === '') return '';
  const dir = resolve(dirname(db.name));
  return dir === resolveDataDir() ? '' : ` --data-dir ${/\s/.test(dir) ? JSON.stringify(dir) : dir}`;
}

export function servingState(db: Database): ServingGate {
  const installed = new HostKeyRepository(db).get();
  const d = dataDirFlag(db);
  if (!installed) {
    return {
      serving: false,
      reason: `No host key is installed. Run: quorum authority issue --family desktop${d}, then quorum key install KEY${d}, then quorum key activate${d}.`,
    };
  }
  if (!installed.activation) {
    const offline = installed.pendingIid
      ? ` An offline activation is waiting: quorum key activate --confirmation CID${d}.`
      : '';
    return {
      serving: false,
      reason: `Host key ${maskHostKey(installed.key.text)} is installed but the host is not activated. Run: quorum key activate${d} (or --offline).${offline}`,
    };
  }
  return { serving: true };
}

/** What the activated key lets the host activate; null when the host may activate nothing. */
export function coveredProducts(db: Database): KeyCoverage | null {
  const installed = new HostKeyRepository(db).get();
  if (!installed?.activation) return null;
  return { family: installed.key.family, maxGeneration: installed.key.generation };
}
