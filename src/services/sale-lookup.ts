// A sale as the forms and confirmations show it: with its product's name.
import type { Deps } from '../deps.js';
import { findSale, type SaleWithProduct } from '../store/sales.js';

export type { SaleWithProduct };

/** The workspace's sale with this id, voided or not; undefined when there is none. */
export function saleWithProduct(deps: Pick<Deps, 'db'>, teamId: string, saleId: bigint): Promise<SaleWithProduct | undefined> {
  return findSale(deps.db, teamId, saleId);
}
