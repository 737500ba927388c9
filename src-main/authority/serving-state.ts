/**
 * The host-key gate of the host runtime: a host serves clients only once its key is activated,
 * and only the products the key covers.
 */
import type { Database } from 'better-sqlite3';
import { maskHostKey, type KeyCoverage } from '../../shared/keys/index.js';
import type { ServingGate } from '../engine/types.js';
import { HostKeyRepository } from './host-key-repository.js';

export function servingState(db: Database): ServingGate {
  const installed = new HostKeyRepository(db).get();
  if (!installed) {
    return {
      serving: false,
      reason:
        'No host key is installed. Run: quorum authority issue --family desktop, then quorum key install KEY, then quorum key activate.',
    };
  }
  if (!installed.activation) {
    const offline = installed.pendingIid
      ? ' An offline activation is waiting: quorum key activate --confirmation CID.'
      : '';
    return {
      serving: false,
      reason: `Host key ${maskHostKey(installed.key.text)} is installed but the host is not activated. Run: quorum key activate (or --offline).${offline}`,
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
