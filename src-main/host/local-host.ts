/**
 * What a check needs to know about the host it runs on, read without creating anything: the
 * identity's fingerprint (only if the data directory has one), and the publish list's priority,
 * weight and the host's port for the domain.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_IDENTITY_FILE, loadOrCreateHostIdentity } from './identity.js';
import type { LocalHost } from '../dns/dns-check.js';
import { HOST_PORT_KEY, readZones } from '../dns/publish-list.js';
import type { DnsStore } from '../dns/dns-publisher.js';

export function localHostOf(
  dataDir: string,
  store: Pick<DnsStore, 'getSetting'> | null,
  domain: string,
): LocalHost | null {
  if (!existsSync(join(dataDir, HOST_IDENTITY_FILE))) return null;
  let fingerprint: string;
  try {
    fingerprint = loadOrCreateHostIdentity(dataDir).fingerprint;
  } catch {
    return null;
  }
  let entry: ReturnType<typeof readZones>[number] | undefined;
  let port: number | null = null;
  try {
    entry = store ? readZones(store).find((z) => z.zone === domain.replace(/\.$/, '').toLowerCase()) : undefined;
    const p = Number(store?.getSetting(HOST_PORT_KEY));
    port = Number.isInteger(p) && p > 0 ? p : null;
  } catch {
    entry = undefined;
  }
  return { fingerprint, priority: entry?.priority ?? null, weight: entry?.weight ?? null, port };
}
