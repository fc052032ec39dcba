// (c) Digest fan-out: DIGEST.channels channels subscribed to the same Monday 09:00 slot, posted
// by one scheduler tick (`node dist/src/cli/digest.js --at`, the code path of the in-process
// cron) against the fake Slack with Slack's limits: 1 post a second per channel, and a
// workspace-wide burst then a steady rate, beyond which it answers 429 with Retry-After.
import { sql } from 'kysely';
import { openDatabase } from '../src/db/open.js';
import { DEFAULT_SCHEDULE, latestSlot } from '../src/domain/schedule.js';
import { BENCH_DB_URL, BOT_TOKEN, DIGEST, SIGNING_SECRET, TEAM, TIMEZONE, digestChannel, repId } from './config.js';
import { AppProcess, type SlackStandIn } from './processes.js';
import type { DigestStats } from './slack-server.js';

export interface DigestResult extends DigestStats {
  /** Wall time of the tick's process, from spawn to exit (start-up included). */
  totalSeconds: number;
  /** From the first post that landed to the last. */
  postingSeconds: number;
  /** The least time the workspace limit allows for all posts: (channels − burst) / rate. */
  boundSeconds: number;
  runs: Record<string, number>;
  peakRssMb: number;
}

export async function runDigestFanOut(slack: SlackStandIn): Promise<DigestResult> {
  const now = new Date();
  const slot = latestSlot(DEFAULT_SCHEDULE, now, TIMEZONE);
  const database = await openDatabase({ databaseUrl: BENCH_DB_URL, dataDir: 'unused' });
  try {
    const teams = await database.db.selectFrom('sales_teams').select('id').where('team_id', '=', TEAM).orderBy('id').execute();
    await database.db.deleteFrom('digest_runs').execute();
    await database.db.deleteFrom('digest_subscriptions').execute();
    const created = new Date(slot.getTime() - 7 * 86_400_000);
    await database.db
      .insertInto('digest_subscriptions')
      .values(
        Array.from({ length: DIGEST.channels }, (_, i) => ({
          team_id: TEAM,
          channel_id: digestChannel(i),
          sales_team_id: teams[i % teams.length]!.id,
          cadence: 'weekly' as const,
          at_time: DEFAULT_SCHEDULE.time,
          weekday: DEFAULT_SCHEDULE.weekday,
          created_by: repId(0),
          created_at: created,
          updated_at: created,
        })),
      )
      .execute();

    await slack.reset();
    await slack.limitWorkspacePosts(DIGEST.workspaceBurst, DIGEST.workspacePerSecond);
    const at = new Date(slot.getTime() + 60_000).toISOString();
    const started = performance.now();
    const tick = AppProcess.start({
      name: 'digest-tick',
      command: process.execPath,
      args: ['dist/src/cli/digest.js', '--at', at],
      env: {
        DATABASE_URL: BENCH_DB_URL,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.proxyUrl,
        DEFAULT_TIMEZONE: TIMEZONE,
        LOG_LEVEL: 'warn',
      },
    });
    let peakRssMb = 0;
    const sampler = setInterval(() => {
      try {
        peakRssMb = Math.max(peakRssMb, tick.memory().peakRssMb);
      } catch {
        // The tick has exited.
      }
    }, 200);
    const code = await tick.exited(300_000).finally(() => clearInterval(sampler));
    const totalSeconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`the digest tick exited with ${code}; see ${tick.logFile}\n${tick.tail()}`);
    const stats = await slack.digestStats();
    const { rows } = await sql<{ status: string; n: string }>`select status, count(*) as n from digest_runs group by status`.execute(
      database.db,
    );
    return {
      ...stats,
      totalSeconds,
      postingSeconds: stats.firstPostAt && stats.lastPostAt ? (stats.lastPostAt - stats.firstPostAt) / 1000 : 0,
      boundSeconds: Math.max(0, (DIGEST.channels - DIGEST.workspaceBurst) / DIGEST.workspacePerSecond),
      runs: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
      peakRssMb,
    };
  } finally {
    await slack.limitWorkspacePosts(1e9, 1e9);
    await database.close();
  }
}
