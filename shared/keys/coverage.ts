import type { ProductFamily } from '../domain/products.js';

/** What an installed host key lets the host activate. */
export interface KeyCoverage {
  family: ProductFamily;
  /** Products of this family up to and including this generation. */
  maxGeneration: number;
}

/** A key covers its generation and the older ones of its family (kms-facts.md). */
export function keyCovers(coverage: KeyCoverage, product: { family: ProductFamily; generation: number }): boolean {
  return product.family === coverage.family && product.generation <= coverage.maxGeneration;
}
