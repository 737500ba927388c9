import { describe, expect, it } from 'vitest';
import {
  APPLICATIONS,
  BUILTIN_PRODUCTS,
  FAMILY_THRESHOLDS,
  PRODUCT_FAMILIES,
} from '../../../shared/domain/products.js';
import { code, readDoc, tableAfter } from '../../support/protocol-doc.js';

const doc = readDoc('catalogue.md');

describe('docs/catalogue.md', () => {
  it('lists the applications the host runs, with their ids', () => {
    const rows = tableAfter(doc, '## Applications').map((r) => ({ id: code(r.applicationId!), name: r.application }));
    expect(rows).toEqual(APPLICATIONS.map((a) => ({ id: a.id, name: a.name })));
  });

  it('lists one product group per family, with its id, application and threshold', () => {
    const rows = tableAfter(doc, '## Product groups');
    expect(rows.map((r) => r.family)).toEqual([...PRODUCT_FAMILIES]);
    for (const r of rows) {
      const members = BUILTIN_PRODUCTS.filter((p) => p.family === r.family);
      expect(new Set(members.map((p) => p.groupId))).toEqual(new Set([code(r.productGroupId!)]));
      const app = APPLICATIONS.find((a) => a.name === r.application);
      expect(members.every((p) => p.applicationId === app?.id)).toBe(true);
      expect(Number(r.threshold)).toBe(FAMILY_THRESHOLDS[r.family as keyof typeof FAMILY_THRESHOLDS]);
    }
  });

  it('lists every built-in product with its stable id, family, generation and threshold', () => {
    const rows = tableAfter(doc, '## Products').map((r) => ({
      name: r.name,
      displayName: r['display name'],
      id: code(r.productId!),
      family: r.family,
      generation: Number(r.generation),
      threshold: Number(r.threshold),
    }));
    expect(rows).toEqual(
      BUILTIN_PRODUCTS.map((p) => ({
        name: p.name,
        displayName: p.displayName,
        id: p.id,
        family: p.family,
        generation: p.generation,
        threshold: p.threshold,
      })),
    );
  });
});
