/**
 * The console's key operations: the same operations as `quorum key ...` (host-key-operations.ts),
 * run on the running host's own database connection. After each change the host re-reads its key
 * state at once and the console gets `keys:changed` and `host:status-changed` without waiting for
 * the housekeeping poll.
 */
import type { Clock } from '../../shared/domain/clock.js';
import type { ConsoleContract } from '../../shared/ipc/contract.js';
import { REACTIVATIONS_PER_HOST, type KeyActionResult } from '../../shared/ipc/keys-channels.js';
import { coverageText, maskHostKey } from '../../shared/keys/index.js';
import {
  ACTIVATIONS_PER_HOST,
  HOSTS_PER_KEY,
  activateOnlineIn,
  completeOfflineActivationIn,
  installKeyIn,
  issueKeyIn,
  startOfflineActivationIn,
  uninstallKeyIn,
  type InstalledHostKey,
  type KeyTarget,
} from '../authority/index.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { activateWithRemoteAuthorityIn } from '../authority/remote-activation.js';
import { buildHostKeyView } from './host-key-view.js';

type KeyChannels =
  | 'keys:install'
  | 'keys:activate-online'
  | 'keys:start-offline'
  | 'keys:complete-offline'
  | 'keys:uninstall'
  | 'keys:issue';

const systemClock: Clock = { now: () => Date.now() };

/** "host 2 of 6 for this key, activation 3 of 10 for this host (reactivation 2 of 9)". */
function counts(k: InstalledHostKey): string {
  const a = k.activation!;
  const re = a.activationNumber > 1 ? ` (reactivation ${a.activationNumber - 1} of ${REACTIVATIONS_PER_HOST})` : '';
  return `host ${a.hostsUsed} of ${HOSTS_PER_KEY} for this key, activation ${a.activationNumber} of ${ACTIVATIONS_PER_HOST} for this host${re}`;
}

export function createKeyService(
  host: HostRuntime,
  /** Called after every change: re-read the key state, push the events. */
  changed: () => void,
  clock: Clock = systemClock,
): Pick<ConsoleContract, KeyChannels> {
  const target = (): KeyTarget => ({ db: host.store.db, dataDir: host.dataDir, clock });
  const view = () => buildHostKeyView(host.store.db);
  const after = (message: string): KeyActionResult => {
    changed();
    return { message, hostKey: view() };
  };
  const activated = (k: InstalledHostKey, how: string): KeyActionResult =>
    after(`${how}: ${counts(k)}. The host now activates clients.`);
  return {
    'keys:install': async ({ key }) => {
      const r = installKeyIn(target(), key);
      const masked = maskHostKey(r.key.text);
      return after(
        r.alreadyInstalled
          ? `Key ${masked} is already installed; nothing changed (its activation, if any, is kept).`
          : `Installed key ${masked} (${coverageText(r.key.family, r.key.generation)}). Activate it next, online or offline.`,
      );
    },
    'keys:activate-online': async ({ reactivation, authorityUrl, authorityPin }) => {
      const spend = {
        reactivate: reactivation !== undefined,
        ...(reactivation !== undefined ? { confirmedReactivation: reactivation } : {}),
      };
      const how = reactivation !== undefined ? 'Reactivated online' : 'Activated online';
      if (authorityUrl === undefined || authorityUrl === '') return activated(activateOnlineIn(target(), spend), how);
      const r = await activateWithRemoteAuthorityIn(target(), {
        url: authorityUrl,
        ...(authorityPin ? { pin: authorityPin } : {}),
        ...spend,
      });
      const result = activated(r.installed, `${how} with ${new URL(authorityUrl).origin}`);
      return r.trustedOnFirstUse
        ? {
            ...result,
            message: `${result.message} Its key was trusted on first use: ${r.authorityFingerprint}; compare it with the fingerprint the vendor published.`,
          }
        : result;
    },
    'keys:start-offline': async ({ reactivation }) => {
      const iid = startOfflineActivationIn(target(), {
        reactivate: reactivation !== undefined,
        ...(reactivation !== undefined ? { confirmedReactivation: reactivation } : {}),
      });
      changed();
      // The view shows the groups apart, so they can be read aloud one at a time.
      return { installationId: iid, groups: iid.split('-'), hostKey: view() };
    },
    'keys:complete-offline': async ({ confirmationId }) =>
      activated(completeOfflineActivationIn(target(), confirmationId), 'Activated offline'),
    'keys:uninstall': async () =>
      after(
        uninstallKeyIn(target())
          ? 'Host key removed. The host no longer activates clients until a key is installed and activated.'
          : 'No host key was installed; nothing changed.',
      ),
    'keys:issue': async ({ family, generation }) => {
      const key = issueKeyIn(target(), family, generation);
      return {
        key: key.text,
        family: key.family,
        generation: key.generation,
        serial: key.serial,
        covers: coverageText(key.family, key.generation),
      };
    },
  };
}
