/** Products of one application that share a threshold are met or lost together, so they are reported together. */
import type { Product } from '../../shared/domain/index.js';

export interface ThresholdGroup {
  threshold: number;
  productIds: string[];
}

/** Per application id (lower case): its distinct thresholds, ascending, each with its products in catalogue order. */
export function thresholdGroups(products: readonly Product[]): Map<string, ThresholdGroup[]> {
  const out = new Map<string, ThresholdGroup[]>();
  for (const p of products) {
    const applicationId = p.applicationId.toLowerCase();
    const groups = out.get(applicationId) ?? [];
    const group = groups.find((g) => g.threshold === p.threshold);
    if (group) group.productIds.push(p.id);
    else groups.push({ threshold: p.threshold, productIds: [p.id] });
    out.set(applicationId, groups);
  }
  for (const groups of out.values()) groups.sort((a, b) => a.threshold - b.threshold);
  return out;
}
