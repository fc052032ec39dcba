// Bolt's OAuth installation store in PostgreSQL (docs/rules.md#running: multi-workspace install). Tokens are
// sealed with AES-256-GCM under a key derived from the app's client secret, so a database dump
// alone does not hand out working Slack tokens.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock } from '../deps.js';
import { deriveSealingKey, seal, unseal } from '../sealing.js';
import { forgetInstallation, sealedInstallation, storeSealedInstallation } from '../services/installations.js';

export function sealingKey(clientSecret: string): Buffer {
  return deriveSealingKey(clientSecret, 'slack-installations');
}

export class PostgresInstallationStore implements InstallationStore {
  private readonly key: Buffer;

  constructor(
    private readonly db: Kysely<Database>,
    clientSecret: string,
    private readonly clock: Clock,
  ) {
    this.key = sealingKey(clientSecret);
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const teamId = installation.team?.id ?? installation.enterprise?.id;
    if (!teamId) throw new Error('an installation without a team or enterprise id');
    await storeSealedInstallation(
      { db: this.db },
      {
        teamId,
        enterpriseId: installation.enterprise?.id ?? null,
        botUserId: installation.bot?.userId ?? null,
        sealed: seal(this.key, JSON.stringify(installation)),
        now: this.clock.now(),
      },
    );
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const teamId = query.teamId ?? query.enterpriseId;
    const sealed = teamId ? await sealedInstallation({ db: this.db }, teamId) : undefined;
    if (!sealed) throw new Error(`Tally is not installed in workspace ${teamId ?? '(none)'}`);
    const installation = JSON.parse(unseal(this.key, sealed)) as Installation;
    // A request naming an enterprise the workspace was not installed under is not this installation's.
    if (query.enterpriseId && installation.enterprise?.id !== query.enterpriseId) {
      throw new Error(`Tally is not installed in workspace ${teamId} of enterprise ${query.enterpriseId}`);
    }
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const teamId = query.teamId ?? query.enterpriseId;
    if (teamId) await forgetInstallation({ db: this.db }, teamId);
  }

  /** The bot token of a workspace, for work no request carries (the scheduler). */
  async botToken(teamId: string): Promise<string | undefined> {
    const sealed = await sealedInstallation({ db: this.db }, teamId);
    return sealed ? (JSON.parse(unseal(this.key, sealed)) as Installation).bot?.token : undefined;
  }
}
