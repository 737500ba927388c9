/**
 * The product catalogue (docs/model.md, "Thresholds and the count"). Desktop and server products
 * share one application (one CMID table and one count); the office suite has its own.
 * Identifiers are UUIDs on the wire and never change once published.
 */
import { QuorumError } from './errors.js';

export type ProductFamily = 'desktop' | 'server' | 'office';

export const PRODUCT_FAMILIES: readonly ProductFamily[] = ['desktop', 'server', 'office'];

export interface Application {
  id: string;
  name: string;
}

export interface Product {
  /** Activation id carried on the wire. */
  id: string;
  /** Short name used on the command line (`--product desktop`). */
  name: string;
  displayName: string;
  family: ProductFamily;
  generation: number;
  /** Product group id carried on the wire; one per family. */
  groupId: string;
  applicationId: string;
  /** Minimum count before clients of this product are activated. */
  threshold: number;
}

export const APPLICATION_OS: Application = {
  id: '4346715c-395c-4420-9f06-e96fe71658e4',
  name: 'Operating systems',
};
export const APPLICATION_OFFICE: Application = {
  id: '6f2ccd04-5516-48d4-9613-16ed79779056',
  name: 'Office suite',
};
export const APPLICATIONS: readonly Application[] = [APPLICATION_OS, APPLICATION_OFFICE];

export const FAMILY_THRESHOLDS: Readonly<Record<ProductFamily, number>> = {
  desktop: 25,
  server: 5,
  office: 5,
};

const FAMILY_GROUP_IDS: Readonly<Record<ProductFamily, string>> = {
  desktop: 'e09309f7-9ec2-4210-a3d8-58949e7c9c21',
  server: '6e91c548-64fd-4b5a-9126-b5537516cddd',
  office: 'e2f9095c-1da4-47ce-aa98-1348da02dde2',
};

const FAMILY_LABELS: Readonly<Record<ProductFamily, string>> = {
  desktop: 'Quorum Desktop',
  server: 'Quorum Server',
  office: 'Quorum Office',
};

export function applicationOf(family: ProductFamily): Application {
  return family === 'office' ? APPLICATION_OFFICE : APPLICATION_OS;
}

function product(id: string, family: ProductFamily, generation: number, name: string): Product {
  return {
    id,
    name,
    displayName: `${FAMILY_LABELS[family]} ${generation}`,
    family,
    generation,
    groupId: FAMILY_GROUP_IDS[family],
    applicationId: applicationOf(family).id,
    threshold: FAMILY_THRESHOLDS[family],
  };
}

/** The built-in catalogue. The plain family name is the newest generation. */
export const BUILTIN_PRODUCTS: readonly Product[] = [
  product('19d5baee-485b-4b3e-8c5e-77e6efaf40f8', 'desktop', 3, 'desktop'),
  product('70bc9b9d-5630-4a66-a8bb-962e18eb7a7a', 'desktop', 2, 'desktop-2'),
  product('e5f13d21-1400-4299-8009-07651f7acfac', 'server', 3, 'server'),
  product('a5574c66-7fae-4f44-a844-b64cc300b0cc', 'server', 2, 'server-2'),
  product('50a2b356-6db2-460a-814c-824e8f0a81df', 'office', 3, 'office'),
  product('e84fc2ec-c308-407b-b94f-295579ec36db', 'office', 2, 'office-2'),
];

/**
 * The largest threshold a user-added product may have. The cache holds twice the highest threshold
 * requested, so this bounds one application's CMID table to a million entries (see bench/engine-bench.ts).
 */
export const MAX_PRODUCT_THRESHOLD = 500_000;

/** A lookup over the built-in products plus any a user added. */
export class ProductCatalog {
  readonly #byId = new Map<string, Product>();
  readonly #byName = new Map<string, Product>();

  constructor(products: readonly Product[] = BUILTIN_PRODUCTS) {
    for (const p of products) this.add(p);
  }

  add(p: Product): void {
    const id = p.id.toLowerCase();
    if (this.#byId.has(id)) {
      throw new QuorumError('PRODUCT_EXISTS', `A product with id ${p.id} is already in the catalogue.`);
    }
    if (this.#byName.has(p.name)) {
      throw new QuorumError('PRODUCT_EXISTS', `A product named "${p.name}" is already in the catalogue.`);
    }
    if (!Number.isSafeInteger(p.threshold) || p.threshold < 1 || p.threshold > MAX_PRODUCT_THRESHOLD) {
      throw new QuorumError(
        'PRODUCT_THRESHOLD_INVALID',
        `The threshold of product "${p.name}" must be a whole number from 1 to ${MAX_PRODUCT_THRESHOLD}; got ${String(p.threshold)}.`,
        'Use 25 for desktop-like products and 5 for server-like ones, as the built-in products do.',
      );
    }
    this.#byId.set(id, p);
    this.#byName.set(p.name, p);
  }

  byId(id: string): Product | undefined {
    return this.#byId.get(id.toLowerCase());
  }

  /** Accepts the short name or the id. */
  find(nameOrId: string): Product | undefined {
    return this.#byName.get(nameOrId) ?? this.byId(nameOrId);
  }

  all(): Product[] {
    return [...this.#byId.values()];
  }

  /** Number of products; grows when a user adds one, so callers can cache what they derive. */
  get size(): number {
    return this.#byId.size;
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }
}
