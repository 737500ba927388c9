/**
 * A peer's address as people and range checks read it. On a dual-stack socket ("::") an IPv4
 * client arrives as ::ffff:a.b.c.d; the inventory, the request log, the rate limit and the
 * admission ranges all want the plain a.b.c.d that the admin knows the machine by.
 */
const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** IPv4-mapped IPv6 becomes plain IPv4; any other address is returned as it is. */
export function normalizeAddress(address: string): string {
  const m = MAPPED_V4.exec(address);
  return m ? m[1]! : address;
}

/** The address of an accepted socket ("unknown" once the peer is already gone). */
export function peerAddress(remoteAddress: string | undefined): string {
  return remoteAddress === undefined ? 'unknown' : normalizeAddress(remoteAddress);
}
