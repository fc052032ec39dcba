// The scheduled digest with real processes (docs/rules.md#digests): two app processes (`tsx src/main.ts`) and
// `tsx src/cli/digest.ts` share one PostgreSQL database and one fake Slack. Each channel gets
// one post per slot when they race, when a process is killed between claiming and posting or
// between posting and recording, and after downtime (late by 3 h: posted; by 30 h: skipped).
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/open.js';
import { FakeSlack } from '../../slack-standin/fake-slack.js';
import { BOT_TOKEN, CHANNEL, SIGNING_SECRET, TEAM, replyText, seedWorkspace, users } from '../support/harness.js';
import { TallyProcess, baseEnv, freePort, waitUntil, waitUntilHealthy } from '../support/tally-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Node itself with tsx's loader: signals reach the process directly, with no relaying parent.
const NODE = process.execPath;
const TSX = ['--import', 'tsx'];
const TZ = 'America/New_York';
const EAST = 'C0EAST';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LEASE_MS = 10 * MINUTE; // DEFAULT_LEASE_MS in src/services/digest-runs.ts
const LONG_AGO = new Date('2020-01-01T00:00:00Z');
// Monday 2026-11-30 09:00 in New York is 14:00Z: the default weekly slot, for the crash tests.
const MONDAY_SLOT = new Date('2026-11-30T14:00:00Z');
const MONDAY_9AM = { cadence: 'weekly', time: '09:00', weekday: 1 } as const;

interface Schedule {
  cadence: 'daily' | 'weekly';
  time: string;
  weekday?: number;
}

describe.runIf(process.env.TEST_DATABASE_URL)('several Tally processes on one PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  let slack: FakeSlack | undefined;
  // Every process a test starts, killed (whole process group) after each test, passed or not.
  const processes: TallyProcess[] = [];

  const db = () => handle!.db;
  const fake = () => slack!;

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR, poolSize: 2 });
    await migrateToLatest(handle.db);
    await seedSales();
    slack = await FakeSlack.start();
    seedWorkspace(slack);
    slack.addChannel({ id: EAST, name: 'team-east', team_id: TEAM, members: [users.rep.id, users.manager.id] });
  });

  beforeEach(async () => {
    await db().deleteFrom('digest_subscriptions').execute(); // digest_runs go with them (on delete cascade)
    fake().reset();
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill()));
  });

  afterAll(async () => {
    await handle?.close();
    await slack?.stop();
    await database?.drop();
  });

  // ---- the processes ---------------------------------------------------------------------

  function env(port = 0): Record<string, string> {
    return {
      ...baseEnv(),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fake().url,
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...database!.env,
    };
  }

  function startApp(port: number): { tally: TallyProcess; baseUrl: string } {
    const tally = TallyProcess.start(NODE, [...TSX, 'src/main.ts'], env(port));
    processes.push(tally);
    return { tally, baseUrl: `http://127.0.0.1:${port}` };
  }

  /** `npm run digest -- --at <at>`: one tick as if the clock read `at`. */
  function runDigestCli(at: Date): TallyProcess {
    const cli = TallyProcess.start(NODE, [...TSX, 'src/cli/digest.ts', '--at', at.toISOString()], env());
    processes.push(cli);
    return cli;
  }

  async function distinctFreePorts(count: number): Promise<number[]> {
    const ports = new Set<number>();
    while (ports.size < count) ports.add(await freePort());
    return [...ports];
  }

  /** Waits for `condition`, failing at once (with the output) if the child exits first. */
  async function waitWhileRunning(child: TallyProcess, condition: () => boolean, what: string, timeoutMs = 40_000): Promise<void> {
    await waitUntil(
      () => condition() || child.hasExited,
      timeoutMs,
      () => `${what}\n${child.describe()}`,
    );
    if (!condition()) throw new Error(`the process exited before ${what}\n${child.describe()}`);
  }

  async function expectCleanExit(child: TallyProcess, timeoutMs = 40_000): Promise<void> {
    expect(await child.waitForExit(timeoutMs), child.describe()).toEqual({ code: 0, signal: null });
    await child.waitUntilGone(5_000); // and every line it printed has been read
  }

  /** Like waitUntil, for a condition that needs a query. */
  async function pollUntil(condition: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
      await sleep(50);
    }
  }

  /** How many sessions of this database are waiting for a lock to write digest_runs. */
  async function claimsWaitingForALock(): Promise<number> {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into "digest_runs"%'`.execute(db());
    return rows[0]?.waiting ?? 0;
  }

  /** The counts the digest CLI logs when its tick is done. */
  function tickCounts(cli: TallyProcess) {
    return cli.logs().find((entry) => entry.msg === 'digest tick done');
  }

  // ---- the data --------------------------------------------------------------------------

  async function seedSales(): Promise<void> {
    // These processes run on the system clock: the data is placed relative to it.
    const now = new Date();
    await db()
      .insertInto('workspaces')
      .values({ team_id: TEAM, name: 'Acme', timezone: TZ, currency: 'USD', created_at: now, updated_at: now })
      .execute();
    const today = newYorkDate(now);
    const sales: Array<[string, string, bigint, string]> = [
      [users.rep.id, 'Acme', 250_000n, '2026-11-24'],
      [users.rep2.id, 'Globex', 150_000n, '2026-11-25'],
      [users.rep.id, 'Initech', 120_000n, newYorkDate(new Date(Date.now() - 24 * HOUR))],
      [users.rep2.id, 'Hooli', 80_000n, newYorkDate(new Date(Date.now() - 3 * 24 * HOUR))],
      [users.rep2.id, 'Umbrella', 40_000n, today],
    ];
    await db()
      .insertInto('sales')
      .values(
        sales.map(([rep, customer, amount, closedOn], i) => ({
          team_id: TEAM,
          rep_id: rep,
          amount_minor: amount,
          currency: 'USD',
          original_amount_minor: amount,
          original_currency: 'USD',
          closed_on: closedOn,
          customer,
          source: 'command' as const,
          idempotency_key: `seed-${i}`,
          created_at: now,
          updated_at: now,
          created_by: users.manager.id,
        })),
      )
      .execute();
  }

  /** A subscription made long ago, so none of its slots predates it. */
  function subscribe(channel: string, schedule: Schedule) {
    return db()
      .insertInto('digest_subscriptions')
      .values({
        team_id: TEAM,
        channel_id: channel,
        sales_team_id: null,
        cadence: schedule.cadence,
        at_time: schedule.time,
        weekday: schedule.weekday ?? 1,
        created_by: users.manager.id,
        created_at: LONG_AGO,
        updated_at: LONG_AGO,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  const runs = () => db().selectFrom('digest_runs').selectAll().orderBy('subscription_id').execute();
  const digestPosts = (channel: string) =>
    fake()
      .messages(channel)
      .filter((message) => (message.metadata as { event_type?: string } | undefined)?.event_type === 'tally_digest');
  const slotOf = (message: { metadata?: unknown }) => (message.metadata as { event_payload?: { slot?: string } }).event_payload?.slot;

  // ---- the tests -------------------------------------------------------------------------

  it('posts once per channel when two app processes and the digest CLI tick the same slot at once', async () => {
    // A daily slot two minutes old: the catch-up tick each app runs at start is due to post it.
    const slot = floorToMinute(new Date(Date.now() - 2 * MINUTE));
    const daily = { cadence: 'daily', time: newYorkClock(slot).time } as const;
    await subscribe(CHANNEL, daily);
    await subscribe(EAST, daily);
    const ports = await distinctFreePorts(2);

    // Left alone, the CLI (quicker to start) would post before either app ticks. To make the
    // three claim at the same moment, the test locks digest_runs until every process is
    // waiting at its claim (3 processes x 2 channels), then lets them all go.
    const { apps, cli } = await db()
      .transaction()
      .execute(async (trx) => {
        await sql`lock table digest_runs in exclusive mode`.execute(trx);
        const started = { apps: ports.map((port) => startApp(port)), cli: runDigestCli(new Date()) };
        const everyone = [started.cli, ...started.apps.map((app) => app.tally)];
        await pollUntil(
          async () => (await claimsWaitingForALock()) >= 6,
          40_000,
          () => `6 claims waiting for the lock\n${everyone.map((p) => p.describe()).join('\n')}`,
        );
        return started;
      });

    await expectCleanExit(cli);
    await Promise.all(apps.map((app) => waitUntilHealthy(app.tally, app.baseUrl, 40_000)));
    await waitUntil(() => digestPosts(CHANNEL).length > 0 && digestPosts(EAST).length > 0, 20_000, 'a digest in both channels');
    // SIGTERM stops the scheduler after the tick in flight: once both apps exit 0, every
    // tick the three processes started has finished, and a duplicate would be in the fake.
    for (const app of apps) app.tally.signal('SIGTERM');
    for (const app of apps) await expectCleanExit(app.tally, 15_000);

    expect(digestPosts(CHANNEL)).toHaveLength(1);
    expect(digestPosts(EAST)).toHaveLength(1);
    expect(fake().callsTo('chat.postMessage')).toHaveLength(2);
    expect(digestPosts(CHANNEL).map(slotOf)).toEqual([slot.toISOString()]);
    expect(replyText(digestPosts(CHANNEL)[0]!.blocks)).toContain('*Leaderboard, last week*');
    const recorded = await runs();
    expect(recorded.map((r) => [r.status, r.attempts, r.slot.toISOString()])).toEqual([
      ['posted', 1, slot.toISOString()],
      ['posted', 1, slot.toISOString()],
    ]);
    expect(recorded.map((r) => r.message_ts)).toEqual([digestPosts(CHANNEL)[0]!.ts, digestPosts(EAST)[0]!.ts]);
    // Who won is up to the race; that the three together posted twice is not.
    const postedBy = [cli, ...apps.map((app) => app.tally)].map((p) => p.logMessages().filter((msg) => msg === 'digest posted').length);
    console.log(`digest race: posts by [cli, app 1, app 2] = ${JSON.stringify(postedBy)}`);
    expect(postedBy.reduce((a, b) => a + b, 0)).toBe(2);
  }, 60_000);

  it('after a process is killed between claiming and posting, holds the slot until its lease expires, then posts it once', async () => {
    await subscribe(CHANNEL, MONDAY_9AM);
    fake().hangNext('chat.postMessage', { afterHandling: false });

    const first = runDigestCli(new Date(MONDAY_SLOT.getTime() + 30_000));
    await waitWhileRunning(first, () => fake().callsTo('chat.postMessage').length > 0, 'the digest post to reach Slack');
    await first.kill(); // SIGKILL, with the post in flight and never handled

    const [claimed] = await runs();
    expect(claimed).toMatchObject({ status: 'claimed', attempts: 1, message_ts: null, slot: MONDAY_SLOT });
    expect(claimed!.claimed_by).toBeTruthy();
    expect(claimed!.lease_expires_at).toEqual(new Date(MONDAY_SLOT.getTime() + 30_000 + LEASE_MS));
    expect(digestPosts(CHANNEL)).toHaveLength(0);

    // While the dead process's lease runs, nobody else takes the slot.
    const early = runDigestCli(new Date(MONDAY_SLOT.getTime() + 5 * MINUTE));
    await expectCleanExit(early);
    expect(tickCounts(early), early.describe()).toMatchObject({ posted: 0, not_claimed: 1 });
    expect(digestPosts(CHANNEL)).toHaveLength(0);

    const second = runDigestCli(new Date(MONDAY_SLOT.getTime() + 11 * MINUTE));
    await expectCleanExit(second);

    expect(tickCounts(second), second.describe()).toMatchObject({ posted: 1, recovered: 0, failed: 0 });
    const posts = digestPosts(CHANNEL);
    expect(posts).toHaveLength(1);
    expect(slotOf(posts[0]!)).toBe(MONDAY_SLOT.toISOString());
    expect(replyText(posts[0]!.blocks)).toContain('Weekly digest · Week 2026-W48 (Nov 23 – Nov 29)');
    const [posted] = await runs();
    expect(posted).toMatchObject({ status: 'posted', attempts: 2, message_ts: posts[0]!.ts, lease_expires_at: null });
    expect(posted!.claimed_by).not.toBe(claimed!.claimed_by);
  }, 60_000);

  it('after a process is killed between posting and recording, records the post that landed and does not post again', async () => {
    await subscribe(CHANNEL, MONDAY_9AM);
    fake().hangNext('chat.postMessage', { afterHandling: true });

    const first = runDigestCli(new Date(MONDAY_SLOT.getTime() + 30_000));
    await waitWhileRunning(first, () => fake().callsTo('chat.postMessage').length > 0, 'the digest post to reach Slack');
    await first.kill(); // SIGKILL: the post is in the channel, but the process never learnt its ts
    const landed = digestPosts(CHANNEL);
    expect(landed).toHaveLength(1);
    expect(await runs()).toMatchObject([{ status: 'claimed', attempts: 1, message_ts: null }]);

    const second = runDigestCli(new Date(MONDAY_SLOT.getTime() + 11 * MINUTE));
    await expectCleanExit(second);

    expect(tickCounts(second), second.describe()).toMatchObject({ posted: 0, recovered: 1, failed: 0 });
    expect(second.logMessages()).toContain('digest was already posted by an earlier attempt: recorded, not posted again');
    expect(digestPosts(CHANNEL)).toHaveLength(1);
    expect(fake().callsTo('chat.postMessage')).toHaveLength(1);
    expect(await runs()).toMatchObject([{ status: 'posted', attempts: 2, message_ts: landed[0]!.ts, slot: MONDAY_SLOT }]);
  }, 60_000);

  it('on start, posts a slot missed by 3 hours and skips (and logs) one missed by 30 hours', async () => {
    const now = new Date();
    const lateSlot = floorToMinute(new Date(now.getTime() - 3 * HOUR));
    const staleSlot = floorToMinute(new Date(now.getTime() - 30 * HOUR));
    // A daily slot is never more than 24 h old: the stale one is a weekly slot 30 h ago.
    const late = await subscribe(CHANNEL, { cadence: 'daily', time: newYorkClock(lateSlot).time });
    const stale = await subscribe(EAST, { cadence: 'weekly', ...newYorkClock(staleSlot) });
    const [port] = await distinctFreePorts(1);

    const { tally, baseUrl } = startApp(port!);
    await waitUntilHealthy(tally, baseUrl, 40_000);
    const settled = async () => (await runs()).filter((r) => r.status === 'posted' || r.status === 'skipped').length === 2;
    await pollUntil(
      async () => tally.hasExited || (await settled()),
      20_000,
      () => `both slots to be posted or skipped\n${tally.describe()}`,
    );
    if (!tally.hasExited) tally.signal('SIGTERM');
    await expectCleanExit(tally, 15_000);

    const posts = digestPosts(CHANNEL);
    expect(posts).toHaveLength(1);
    expect(slotOf(posts[0]!)).toBe(lateSlot.toISOString());
    expect(digestPosts(EAST)).toHaveLength(0);
    expect(fake().messages(EAST)).toHaveLength(0);
    const recorded = await runs();
    expect(recorded.map((r) => [r.subscription_id, r.status, r.slot.toISOString()])).toEqual([
      [late.id, 'posted', lateSlot.toISOString()],
      [stale.id, 'skipped', staleSlot.toISOString()],
    ]);
    // Posted by the catch-up tick at start, not by the first cron tick at the next minute.
    const running = tally.logs().find((entry) => entry.msg === 'Tally is running');
    const nextMinute = Math.floor(Number(running?.time) / MINUTE) * MINUTE + MINUTE;
    expect(recorded[0]!.posted_at!.getTime(), tally.describe()).toBeLessThan(nextMinute);
    const skippedLog = tally.logs().find((entry) => entry.msg === 'digest slot missed by more than 24 hours: skipped');
    expect(skippedLog).toMatchObject({ level: 40, subscriptionId: String(stale.id), slot: staleSlot.toISOString(), hoursLate: 30 });
  }, 60_000);
});

// ---- clock arithmetic, with Intl (not the code under test) -----------------------------------

function floorToMinute(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / MINUTE) * MINUTE);
}

/** The wall-clock time ('HH:MM') and ISO weekday (1 = Monday) of an instant in New York. */
function newYorkClock(instant: Date): { time: string; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TZ,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    time: `${part('hour')}:${part('minute')}`,
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(part('weekday')) + 1,
  };
}

/** The calendar date ('YYYY-MM-DD') of an instant in New York. */
function newYorkDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
