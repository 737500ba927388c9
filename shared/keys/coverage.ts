import type { ProductFamily } from '../domain/products.js';

/** What an installed host key lets the host activate. */
export interface KeyCoverage {
  family: ProductFamily;
  /** Products of this family up to and including this generation. */
  maxGeneration: number;
}

/**
 * Families a key of each family activates. As with Microsoft's server host keys, a server key also
 * activates desktop clients, so one host can serve the operating-system count that both share.
 */
export const FAMILIES_COVERED: Readonly<Record<ProductFamily, readonly ProductFamily[]>> = {
  desktop: ['desktop'],
  server: ['server', 'desktop'],
  office: ['office'],
};

/** A key covers its generation and the older ones of the families it covers (docs/model.md). */
export function keyCovers(coverage: KeyCoverage, product: { family: ProductFamily; generation: number }): boolean {
  return FAMILIES_COVERED[coverage.family].includes(product.family) && product.generation <= coverage.maxGeneration;
}

/** "server and desktop, generations 1 to 2": what a key of `family` lets the host activate. */
export function coverageText(family: ProductFamily, generation: number): string {
  return `${FAMILIES_COVERED[family].join(' and ')}, generations 1 to ${generation}`;
}
