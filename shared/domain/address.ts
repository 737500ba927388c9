/**
 * A peer's address as people and range checks read it. On a dual-stack socket ("::") an IPv4
 * client arrives as ::ffff:a.b.c.d; the inventory, the request log, the rate limit and the
 * admission ranges all want the plain a.b.c.d that the admin knows the machine by.
 */
const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * IPv4-mapped IPv6 becomes plain IPv4, and a link-local address loses its zone ("%eth0"): the zone
 * names this host's interface, not the client. The store relies on what is left being only hex
 * digits, dots and colons (the store's text filter rules columns out by that).
 */
export function normalizeAddress(address: string): string {
  const m = MAPPED_V4.exec(address);
  if (m) return m[1]!;
  const zone = address.indexOf('%');
  return zone < 0 ? address : address.slice(0, zone);
}
