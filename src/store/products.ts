import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Product } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export function findProductByName(db: Db, teamId: string, name: string): Promise<Product | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('team_id', '=', teamId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function listProductNames(db: Db, teamId: string): Promise<string[]> {
  const rows = await db.selectFrom('products').select('name').where('team_id', '=', teamId).orderBy('name').execute();
  return rows.map((row) => row.name);
}

/** Adds a product; returns undefined when one with that name (any case) already exists. */
export function insertProduct(db: Db, teamId: string, name: string, createdBy: string, now: Date): Promise<Product | undefined> {
  return db
    .insertInto('products')
    .values({ team_id: teamId, name, created_by: createdBy, created_at: now })
    .onConflict((oc) => oc.expression(sql`team_id, lower(name)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findProduct(db: Db, teamId: string, id: bigint): Promise<Product | undefined> {
  return db.selectFrom('products').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
}

export function listProducts(db: Db, teamId: string): Promise<Product[]> {
  return db.selectFrom('products').selectAll().where('team_id', '=', teamId).orderBy('name').execute();
}

/** Products whose name contains `text` (any case), by name, at most `limit`. */
export function searchProducts(db: Db, teamId: string, text: string, limit: number): Promise<Product[]> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('products')
    .selectAll()
    .where('team_id', '=', teamId)
    .where(sql<string>`lower(name)`, 'like', pattern)
    .orderBy('name')
    .limit(limit)
    .execute();
}

export async function countProducts(db: Db, teamId: string): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('team_id', '=', teamId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
