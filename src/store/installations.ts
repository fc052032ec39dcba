import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function upsertInstallation(
  db: Db,
  row: { teamId: string; enterpriseId: string | null; botUserId: string | null; sealed: string; now: Date },
): Promise<void> {
  await db
    .insertInto('slack_installations')
    .values({
      team_id: row.teamId,
      enterprise_id: row.enterpriseId,
      bot_user_id: row.botUserId,
      installation_sealed: row.sealed,
      installed_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) =>
      oc
        .column('team_id')
        .doUpdateSet({ enterprise_id: row.enterpriseId, bot_user_id: row.botUserId, installation_sealed: row.sealed, updated_at: row.now }),
    )
    .execute();
}

export async function findInstallation(db: Db, teamId: string): Promise<string | undefined> {
  const row = await db.selectFrom('slack_installations').select('installation_sealed').where('team_id', '=', teamId).executeTakeFirst();
  return row?.installation_sealed;
}

/** Forgets a workspace's tokens and stops its scheduled posts, in one transaction. */
export async function deleteInstallation(db: Kysely<Database>, teamId: string): Promise<{ installations: number; subscriptions: number }> {
  return db.transaction().execute(async (trx) => {
    const installations = await trx.deleteFrom('slack_installations').where('team_id', '=', teamId).executeTakeFirst();
    const subscriptions = await trx.deleteFrom('digest_subscriptions').where('team_id', '=', teamId).executeTakeFirst();
    return { installations: Number(installations.numDeletedRows), subscriptions: Number(subscriptions.numDeletedRows) };
  });
}
