/** What the `quorum key ...` and `quorum authority ...` commands share. */
import type { Clock } from '../../../shared/domain/clock.js';
import { coverageText } from '../../../shared/keys/index.js';
import type { KeyInfo } from '../../authority/index.js';

export const systemClock: Clock = { now: () => Date.now() };

export const DATA_DIR_HELP = `  --data-dir DIR     the host installation; default $QUORUM_DATA_DIR or $XDG_DATA_HOME/quorum`;

export function when(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export { coverageText };

/** `quorum key info` as a person reads it. */
export function describeKeyInfo(info: KeyInfo): string {
  if (!info.installed) {
    return [
      'Host key:     none installed',
      'Serving:      no. Run: quorum authority issue --family desktop, then quorum key install KEY, then quorum key activate.',
    ].join('\n');
  }
  const covers = info.family && info.generation ? coverageText(info.family, info.generation) : '?';
  const lines = [`Host key:     ${info.maskedKey}`, `Covers:       ${covers}`];
  const a = info.activation;
  if (!a) {
    lines.push('State:        installed, NOT activated (the host answers clients "host not activated")');
    if (info.pendingInstallationId) {
      lines.push(`Waiting for:  a confirmation ID for installation ID ${info.pendingInstallationId}`);
      lines.push('Next:         quorum key activate --confirmation CID');
    } else {
      lines.push('Next:         quorum key activate   (or --offline)');
    }
    return lines.join('\n');
  }
  const asOf = a.method === 'offline' ? 'as of the confirmation' : 'as of the activation';
  lines.push(`State:        activated ${a.method} on ${when(a.at)} (authority: ${a.authority})`);
  lines.push(`Hosts used:   ${a.hostsUsed} of ${info.hostsLimit} (${asOf})`);
  lines.push(
    `Activations:  ${a.activationNumber} of ${info.activationsLimit} for this host (the first plus ${info.activationsLimit - 1} reactivations)`,
  );
  return lines.join('\n');
}
