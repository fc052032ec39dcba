import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditInput {
  teamId: string;
  actorId: string;
  action: string;
  entityType: 'sale' | 'product' | 'member' | 'target' | 'team' | 'workspace';
  entityId: string;
  before?: unknown;
  after?: unknown;
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
      before: entry.before === undefined ? null : JSON.stringify(entry.before, jsonSafe),
      after: entry.after === undefined ? null : JSON.stringify(entry.after, jsonSafe),
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
