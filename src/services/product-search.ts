// The product catalogue as a form's picker searches it while the person types.
import type { Product } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { searchProducts } from '../store/products.js';

/** Up to `limit` of the workspace's products matching what was typed. */
export function productsMatching(deps: Pick<Deps, 'db'>, teamId: string, typed: string, limit: number): Promise<Product[]> {
  return searchProducts(deps.db, teamId, typed, limit);
}
