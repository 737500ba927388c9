/**
 * A keychain for tests of sealed secrets (store/secret-file.ts) in plain Node: AES-256-GCM under
 * its own key, as Electron's safeStorage is under the OS user's key. Two keychains with different
 * keys are two machines, or one keychain before and after a reset.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretSealer } from '../../src-main/store/secret-file.js';

export function testKeychain(key = randomBytes(32), onSeal?: () => void): SecretSealer {
  return {
    kind: 'os',
    label: 'the test keychain',
    seal: async (plain) => {
      onSeal?.();
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    open: async (sealed) => {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
    },
  };
}
