import type { Kysely, Transaction } from 'kysely';
import type { Database, Source, SourceDeal, SourceDealState, SourceDelivery, SourceKind } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertSource(db: Db, source: Source): Promise<Source | undefined> {
  return db
    .insertInto('sources')
    .values(source)
    .onConflict((oc) => oc.columns(['team_id', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findSourceById(db: Db, id: string): Promise<Source | undefined> {
  return db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSourceByName(db: Db, teamId: string, name: string, kind?: SourceKind): Promise<Source | undefined> {
  let query = db.selectFrom('sources').selectAll().where('team_id', '=', teamId).where('name', '=', name);
  if (kind) query = query.where('kind', '=', kind);
  return query.executeTakeFirst();
}

export function listSources(db: Db, teamId: string): Promise<Array<Source & { deliveries: bigint; last_received_at: Date | null }>> {
  return db
    .selectFrom('sources')
    .selectAll('sources')
    .select((eb) => [
      eb
        .selectFrom('source_deliveries')
        .select((sub) => sub.fn.countAll<bigint>().as('n'))
        .whereRef('source_deliveries.source_id', '=', 'sources.id')
        .as('deliveries'),
      eb
        .selectFrom('source_deliveries')
        .select((sub) => sub.fn.max('received_at').as('at'))
        .whereRef('source_deliveries.source_id', '=', 'sources.id')
        .as('last_received_at'),
    ])
    .where('team_id', '=', teamId)
    .orderBy('name')
    .execute() as Promise<Array<Source & { deliveries: bigint; last_received_at: Date | null }>>;
}

export async function updateSourceSecret(db: Db, teamId: string, id: string, sealed: string, at: Date): Promise<void> {
  await db
    .updateTable('sources')
    .set({ secret_sealed: sealed, rotated_at: at })
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .execute();
}

export async function deleteSource(db: Db, teamId: string, id: string): Promise<void> {
  await db.deleteFrom('sources').where('team_id', '=', teamId).where('id', '=', id).execute();
}

/** The deal's row, created when new, locked for the rest of the transaction. */
export async function lockSourceDeal(trx: Transaction<Database>, source: Source, dealId: string, at: Date): Promise<SourceDeal> {
  await trx
    .insertInto('source_deals')
    .values({ source_id: source.id, deal_id: dealId, team_id: source.team_id, state: 'new', updated_at: at })
    .onConflict((oc) => oc.columns(['source_id', 'deal_id']).doNothing())
    .execute();
  return trx
    .selectFrom('source_deals')
    .selectAll()
    .where('source_id', '=', source.id)
    .where('deal_id', '=', dealId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export interface SourceDealChange {
  state: SourceDealState;
  sale_id: bigint | null;
  owner_id: string | null;
  pending: unknown;
  last_event_at: Date;
  updated_at: Date;
}

export async function updateSourceDeal(db: Db, sourceId: string, dealId: string, change: SourceDealChange): Promise<void> {
  const pending = change.pending === null ? null : JSON.stringify(change.pending);
  await db
    .updateTable('source_deals')
    .set({ ...change, pending })
    .where('source_id', '=', sourceId)
    .where('deal_id', '=', dealId)
    .execute();
}

export function waitingDealsOfOwner(db: Db, sourceId: string, ownerId: string): Promise<SourceDeal[]> {
  return db
    .selectFrom('source_deals')
    .selectAll()
    .where('source_id', '=', sourceId)
    .where('owner_id', '=', ownerId)
    .where('state', '=', 'waiting')
    .orderBy('deal_id')
    .execute();
}

export async function ownerUser(db: Db, sourceId: string, ownerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('source_owners')
    .select('user_id')
    .where('source_id', '=', sourceId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

export async function mapOwner(db: Db, sourceId: string, ownerId: string, userId: string, at: Date): Promise<void> {
  await db
    .insertInto('source_owners')
    .values({ source_id: sourceId, owner_id: ownerId, user_id: userId, updated_at: at })
    .onConflict((oc) => oc.columns(['source_id', 'owner_id']).doUpdateSet({ user_id: userId, updated_at: at }))
    .execute();
}

/** Records that the admin was told about an unmapped owner; false when someone already was. */
export async function claimOwnerNotice(db: Db, sourceId: string, ownerId: string, at: Date): Promise<boolean> {
  const claimed = await db
    .insertInto('source_owners')
    .values({ source_id: sourceId, owner_id: ownerId, user_id: null, notified_at: at, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['source_id', 'owner_id']).doUpdateSet({ notified_at: at, updated_at: at }).where('source_owners.notified_at', 'is', null),
    )
    .returning('owner_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function insertDelivery(db: Db, delivery: Omit<SourceDelivery, 'id'>): Promise<void> {
  await db.insertInto('source_deliveries').values(delivery).execute();
}

export function recentDeliveries(db: Db, sourceId: string, limit: number): Promise<SourceDelivery[]> {
  return db.selectFrom('source_deliveries').selectAll().where('source_id', '=', sourceId).orderBy('id', 'desc').limit(limit).execute();
}
