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
      ]),
    );
  }
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}
