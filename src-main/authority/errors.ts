/**
 * Every refusal of the key and authority parts, with a stable code. Keys appear only masked.
 */
import { existsSync } from 'node:fs';
import { QuorumError } from '../../shared/domain/errors.js';
import { maskHostKey, type HostKeyError } from '../../shared/keys/index.js';

export const HOSTS_PER_KEY = 6;
export const ACTIVATIONS_PER_HOST = 10;

export function invalidKey(e: HostKeyError): QuorumError {
  return new QuorumError(
    e.code,
    e.message,
    'Compare the key with where it came from, character by character; the group named is the one to check.',
  );
}

export function hostLimit(keyText: string, hostsUsed: number): QuorumError {
  return new QuorumError(
    'KEY_HOST_LIMIT',
    `The authority refused key ${maskHostKey(keyText)}: it has already activated ${hostsUsed} of ${HOSTS_PER_KEY} hosts (the limit), and this data directory would be host ${hostsUsed + 1}.`,
    'Reactivate one of the hosts already counted, or use another key for this host (quorum authority issue on the authority, then quorum key install KEY).',
  );
}

export function reactivationLimit(keyText: string, activations: number): QuorumError {
  return new QuorumError(
    'KEY_REACTIVATION_LIMIT',
    `The authority refused key ${maskHostKey(keyText)}: this host has used ${activations} of ${ACTIVATIONS_PER_HOST} activations (the first plus ${ACTIVATIONS_PER_HOST - 1} reactivations).`,
    'Use another key for this host: quorum authority issue on the authority, then quorum key install KEY and quorum key activate.',
  );
}

export function wrongAuthority(
  keyText: string,
  keyTag: string,
  authorityTag: string,
  authorityDir: string,
): QuorumError {
  return new QuorumError(
    'KEY_WRONG_AUTHORITY',
    `Key ${maskHostKey(keyText)} was issued by authority ${keyTag}, not by authority ${authorityTag} of ${authorityDir}.`,
    'Activate against the installation that issued it: quorum key activate --authority DIR, or offline with quorum key activate --offline.',
  );
}

export function forgedKey(keyText: string): QuorumError {
  return new QuorumError(
    'KEY_NOT_GENUINE',
    `Key ${maskHostKey(keyText)} carries this authority's id, but its authenticator is wrong: the authority did not issue it.`,
    'Ask the authority for a key it issued (quorum authority ledger lists them), and type it again.',
  );
}

/** `authority confirm` on an installation that did not issue the installation ID's key. */
export function confirmedByWrongAuthority(keyTag: string, authorityTag: string, authorityDir: string): QuorumError {
  return new QuorumError(
    'KEY_WRONG_AUTHORITY',
    `This installation ID is for a key issued by authority ${keyTag}, not by authority ${authorityTag} of ${authorityDir}; nothing was recorded.`,
    `Run quorum authority confirm on the installation whose authority is ${keyTag} (quorum authority ledger there shows its id).`,
  );
}

export function unprovenInstallation(): QuorumError {
  return new QuorumError(
    'INSTALLATION_ID_NOT_GENUINE',
    'The installation ID checks digit by digit, but it was not made with a key this authority issued (or several digits are wrong); nothing was recorded.',
    'Ask for the installation ID again, group by group; if it is refused again, the host holds a key this authority did not issue: give it one from quorum authority issue.',
  );
}

export function noAuthority(dir: string, embedded = false): QuorumError {
  if (embedded) {
    return new QuorumError(
      'AUTHORITY_NOT_FOUND',
      `This data directory (${dir}) has issued no keys, so its embedded authority cannot activate this key.`,
      'Activate against the installation that issued the key: quorum key activate --authority DIR, or offline: quorum key activate --offline.',
    );
  }
  if (!existsSync(dir)) {
    return new QuorumError(
      'AUTHORITY_NOT_FOUND',
      `${dir} does not exist, so it holds no authority.`,
      'Give --authority the data directory where "quorum authority issue" was run (check the path).',
    );
  }
  return new QuorumError(
    'AUTHORITY_NOT_FOUND',
    `${dir} holds no authority: it has no authority-secret (it has issued no keys).`,
    'Give --authority the data directory where "quorum authority issue" was run.',
  );
}

export function noKey(): QuorumError {
  return new QuorumError(
    'KEY_NOT_INSTALLED',
    'No host key is installed in this data directory.',
    'Install one first: quorum key install KEY (get a key with: quorum authority issue --family desktop).',
  );
}
