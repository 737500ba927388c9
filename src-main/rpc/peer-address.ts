import { normalizeAddress } from '../../shared/domain/address.js';

export { normalizeAddress };

/** The address of an accepted socket ("unknown" once the peer is already gone). */
export function peerAddress(remoteAddress: string | undefined): string {
  return remoteAddress === undefined ? 'unknown' : normalizeAddress(remoteAddress);
}
