/** Builders shared by the engine tests: a fresh engine on a virtual clock and well-formed requests. */
import {
  BUILTIN_PRODUCTS,
  LicenseState,
  ProductCatalog,
  VirtualClock,
  type Product,
} from '../../../shared/domain/index.js';
import { Engine } from '../../../src-main/engine/engine.js';
import type { ActivationInput } from '../../../src-main/engine/types.js';

export function product(name: string, catalog?: ProductCatalog): Product {
  const p = (catalog?.all() ?? BUILTIN_PRODUCTS).find((x) => x.name === name);
  if (!p) throw new Error(`no product ${name}`);
  return p;
}

export function setup(options: { catalog?: ProductCatalog; start?: number } = {}) {
  const clock = new VirtualClock(options.start);
  const catalog = options.catalog ?? new ProductCatalog();
  const engine = new Engine({ clock, catalog });
  return { clock, catalog, engine };
}

/** A CMID that is a valid lower-case UUID and says which client it is. */
export function cmid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function request(p: Product, n: number, overrides: Partial<ActivationInput> = {}): ActivationInput {
  return {
    cmid: cmid(n),
    previousCmid: null,
    machineName: `PC-${n}`,
    address: `10.0.${(n >> 8) & 255}.${n & 255}`,
    applicationId: p.applicationId,
    productId: p.id,
    productGroupId: p.groupId,
    licenseState: LicenseState.InitialGrace,
    remainingMinutes: 43_200,
    isVm: false,
    clientTime: 0,
    ...overrides,
  };
}
