/**
 * Which product names the clients of some products carry, from `clients_product_names`
 * (product_id, product_name; migration 6). A window sorted by product name and filtered on product,
 * license state or VM seeks only these names, instead of walking every entry of the names whose
 * clients cannot match. Names are not derived from the catalog: a client keeps the name it was
 * recorded with, and a product outside the catalog is named by its id.
 */
import type { Statement } from 'better-sqlite3';

/**
 * The names, read by skipping from name to name (one index lookup each); undefined when there are
 * more than `max`, since then listing them costs more than it saves.
 */
export function productNamesOf(
  prepare: (sql: string) => Statement,
  productIds: readonly string[],
  max: number,
): string[] | undefined {
  const first = prepare(
    'SELECT MIN(product_name) FROM clients INDEXED BY clients_product_names WHERE product_id = ?',
  ).pluck();
  const next = prepare(
    'SELECT MIN(product_name) FROM clients INDEXED BY clients_product_names WHERE product_id = ? AND product_name > ?',
  ).pluck();
  const names = new Set<string>();
  for (const id of productIds) {
    for (let name = first.get(id) as string | null; name !== null; name = next.get(id, name) as string | null) {
      names.add(name);
      if (names.size > max) return undefined;
    }
  }
  return [...names];
}
