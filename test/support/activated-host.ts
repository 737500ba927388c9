/**
 * Test helpers for a host that serves: a data directory with a host key issued by its embedded
 * authority, installed and activated, exactly as `quorum authority issue`, `quorum key install` and
 * `quorum key activate` leave it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../shared/domain/clock.js';
import { LicenseState } from '../../shared/domain/license-state.js';
import { BUILTIN_PRODUCTS, type ProductFamily } from '../../shared/domain/products.js';
import type { ActivationRequest } from '../../shared/protocol/qap-types.js';
import { activateOnline, installKey, issueKey } from '../../src-main/authority/index.js';
import { startHost, type HostRuntime } from '../../src-main/host/host-runtime.js';

const wallClock: Clock = { now: () => Date.now() };

export function tempDataDir(prefix = 'quorum-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Issues, installs and activates a key of `family` (newest generation) in `dataDir`. */
export function activateDataDir(dataDir: string, family: ProductFamily = 'desktop', clock: Clock = wallClock): void {
  const key = issueKey(dataDir, clock, family, 3);
  installKey(dataDir, clock, key.text);
  activateOnline(dataDir, clock);
}

/** A serving host on an ephemeral loopback port. */
export async function startActivatedHost(family: ProductFamily = 'desktop'): Promise<HostRuntime> {
  const dataDir = tempDataDir();
  activateDataDir(dataDir, family);
  return startHost({ dataDir, listen: [{ host: '127.0.0.1', port: 0 }] });
}

/** A well-formed activation request for a built-in product, with fresh CMID and nonce. */
export function activationRequest(
  productName = 'desktop',
  overrides: Partial<ActivationRequest> = {},
): ActivationRequest {
  const product = BUILTIN_PRODUCTS.find((p) => p.name === productName);
  if (!product) throw new Error(`no built-in product ${productName}`);
  return {
    version: 1,
    cmid: randomUUID(),
    previousCmid: null,
    machineName: `pc-${randomBytes(3).toString('hex')}`,
    applicationId: product.applicationId,
    productId: product.id,
    productGroupId: product.groupId,
    licenseState: LicenseState.InitialGrace,
    remainingMinutes: 43_200,
    isVm: false,
    clientTime: Date.now(),
    nonce: new Uint8Array(randomBytes(16)),
    siteTokenMac: null,
    ...overrides,
  };
}
