/** The console's host key card, read from the host's own database connection (no second open). */
import type { Database } from 'better-sqlite3';
import type { HostKeyView } from '../../shared/ipc/views.js';
import { coverageText, maskHostKey } from '../../shared/keys/index.js';
import { ACTIVATIONS_PER_HOST, HOSTS_PER_KEY, HostKeyRepository } from '../authority/index.js';

export function buildHostKeyView(db: Database): HostKeyView | null {
  const installed = new HostKeyRepository(db).get();
  if (!installed) return null;
  const a = installed.activation;
  return {
    maskedKey: maskHostKey(installed.key.text),
    covers: coverageText(installed.key.family, installed.key.generation),
    activated: a !== null,
    method: a?.method ?? null,
    activatedAt: a?.at ?? null,
    hostsUsed: a?.hostsUsed ?? null,
    hostsLimit: HOSTS_PER_KEY,
    activationNumber: a?.activationNumber ?? null,
    activationsLimit: ACTIVATIONS_PER_HOST,
    pendingInstallationId: a ? null : installed.pendingIid,
  };
}
