/**
 * The desktop app's way of keeping secrets: Electron's safeStorage, which encrypts with a key the
 * OS keychain holds for this user (Keychain on macOS, DPAPI on Windows, libsecret or KWallet on
 * Linux). Where there is none, or Linux falls back to "basic_text" (a password built into
 * Chromium, which protects nothing a 0600 file does not), the app keeps owner-only files as the
 * CLI does, and says so in its log. Called once the app is ready: before, Linux has no backend.
 */
import { safeStorage } from 'electron';
import { OWNER_ONLY_FILES, type SecretSealer } from '../store/secret-file.js';

export interface ChosenSealer {
  sealer: SecretSealer;
  /** One line for the log: what protects the secrets and, for owner-only files, why. */
  note: string;
}

export async function osSecretSealer(platform: NodeJS.Platform = process.platform): Promise<ChosenSealer> {
  let available: boolean;
  try {
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch (e) {
    return plain(`the OS keychain cannot be used (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!available) return plain('the OS keychain is not available to the app');
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  if (backend === 'basic_text' || backend === 'unknown') {
    return plain(`no keyring on this desktop (Electron's backend: ${backend})`);
  }
  const label = `the OS keychain${backend ? ` (${backend})` : ''}`;
  return {
    note: `secrets the app seals (the DNS TSIG keys) are sealed with ${label}`,
    sealer: {
      kind: 'os',
      label,
      // safeStorage takes strings: base64 keeps any bytes whole.
      seal: async (plainBytes) => safeStorage.encryptStringAsync(plainBytes.toString('base64')),
      open: async (sealed) => Buffer.from((await safeStorage.decryptStringAsync(sealed)).result, 'base64'),
    },
  };
}

function plain(why: string): ChosenSealer {
  return { sealer: OWNER_ONLY_FILES, note: `secrets are kept as owner-only files: ${why}` };
}
