import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditInput {
  teamId: string;
  actorId: string;
  action: string;
  entityType: 'sale' | 'product' | 'member' | 'target' | 'team' | 'workspace' | 'import' | 'source';
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** When the change was made, from the injected clock. */
  at: Date;
}

/** Records who changed what. Call it in the transaction that makes the change. */
export async function insertAudit(db: Db, entry: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      team_id: entry.teamId,
      actor_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      at: entry.at,
      before: entry.before === undefined ? null : JSON.stringify(entry.before, jsonSafe),
      after: entry.after === undefined ? null : JSON.stringify(entry.after, jsonSafe),
      ...(entry.at ? { at: entry.at } : {}),
    })
    .execute();
}

export function auditEntriesFor(db: Db, teamId: string, entityType: string, entityId: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** bigint is not JSON: keep it exact as a string. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** The newest entries first: everything, one person's (as actor or as the rep of a sale), or one sale's. */
export function recentAudit(db: Db, teamId: string, filter: { userId: string | null; saleId: string | null; limit: number }) {
  let query = db.selectFrom('audit_log').selectAll().where('team_id', '=', teamId);
  if (filter.saleId !== null) query = query.where('entity_type', '=', 'sale').where('entity_id', '=', filter.saleId);
  if (filter.userId !== null) {
    const userId = filter.userId;
    query = query.where((eb) =>
      eb.or([
        eb('actor_id', '=', userId),
        eb.and([eb('entity_type', '=', 'member'), eb('entity_id', '=', userId)]),
        eb.and([eb('entity_type', '=', 'sale'), eb(sql<string>`after ->> 'rep_id'`, '=', userId)]),
        // Their targets (entity id `rep:USER:METRIC:KIND`) and their moves between teams.
        eb.and([
          eb('entity_type', '=', 'target'),
          eb(sql<string>`split_part(entity_id, ':', 1)`, '=', 'rep'),
          eb(sql<string>`split_part(entity_id, ':', 2)`, '=', userId),
        ]),
        eb.and([
          eb('entity_type', '=', 'team'),
          sql<boolean>`coalesce(after -> 'userIds', '[]'::jsonb) @> ${JSON.stringify([userId])}::jsonb`,
        ]),
      ]),
    );
  }
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** The names of the workspace's sales teams and products by id: what audit entries refer to by id. */
export async function auditNames(db: Db, teamId: string): Promise<{ teamNames: Map<string, string>; productNames: Map<string, string> }> {
  const [teams, products] = await Promise.all([
    db.selectFrom('sales_teams').select(['id', 'name']).where('team_id', '=', teamId).execute(),
    db.selectFrom('products').select(['id', 'name']).where('team_id', '=', teamId).execute(),
  ]);
  return {
    teamNames: new Map(teams.map((t) => [String(t.id), t.name])),
    productNames: new Map(products.map((p) => [String(p.id), p.name])),
  };
}
