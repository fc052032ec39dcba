// The scheduled digest, end to end in one process: subscriptions, exactly-once posting,
// 429s, late and stale slots, crashes simulated at the fake Slack, the chart, celebrations.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPng, pngSize } from '../../src/slack/views/digest-chart.js';
import { TARGET_FIELDS as F } from '../../src/slack/ids.js';
import { singleTokenClients } from '../../src/slack/clients.js';
import { BOT_TOKEN, CHANNEL, Harness, replyText, users, type TestUser } from '../support/harness.js';
import { fillModal } from '../support/modal-fill.js';

let h: Harness;
const EAST = 'C0EAST';
const reps: TestUser[] = [users.rep, users.rep2];
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
// Monday 2026-11-30 09:00 in New York is 14:00Z: the default weekly slot.
const SLOT = new Date('2026-11-30T14:00:00Z');
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  h = await Harness.start({ now: at('2026-11-25T15:00:00Z') });
  h.slack.addChannel({ id: EAST, name: 'team-east', team_id: users.rep.team, members: [users.rep.id, users.manager.id] });
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  await h.command(users.manager, '/tally', `teams add east <#${EAST}|team-east>`);
  await h.command(users.manager, '/tally', `teams east add ${reps.map(mention).join(' ')} from 2026-01-01`);
  await h.command(users.manager, '/tally', 'products add widgets');
  await h.command(users.manager, '/tally', 'products add gadgets');
  const view = await openTarget();
  await h.submitView(users.manager, view, fillModal(view, { [F.rep]: users.rep.id, [F.amount]: '20k', [F.first]: '2026-11-01' }));
  // Weeks of gadget sales before, a quiet last week: gadgets should be flagged.
  for (const day of ['2026-10-06', '2026-10-13', '2026-10-20', '2026-10-27', '2026-11-03', '2026-11-10']) {
    await h.command(users.manager, '/logsale', `4000 Initech #gadgets ${day} ${mention(users.rep2)}`);
  }
  await h.command(users.manager, '/logsale', `2500 Acme #widgets 2026-11-24 ${mention(users.rep)}`);
  await h.command(users.manager, '/logsale', `1500 Globex 2026-11-25 ${mention(users.rep2)}`);
  await h.command(users.manager, '/logsale', `300 Hooli #gadgets 2026-11-25 ${mention(users.rep2)}`);
});
afterAll(() => h.stop());

async function openTarget() {
  const before = h.slack.callsTo('views.open').length;
  await h.command(users.manager, '/target', '');
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  return h.slack.lastModal()!;
}

const posts = (channel: string) =>
  h.slack.messages(channel).filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'tally_digest');
const runs = () => h.db.selectFrom('digest_runs').selectAll().orderBy('subscription_id').execute();

describe('subscribing', () => {
  it('lets a manager subscribe a channel, and refuses a rep and bad input', async () => {
    expect(replyText((await h.command(users.rep, '/tally', 'digest here')).json)).toContain(
      'Only managers and admins can schedule digests',
    );
    expect(replyText((await h.command(users.manager, '/tally', 'digest here at 25:00')).json)).toContain('give a time of day like 09:00');
    expect(replyText((await h.command(users.manager, '/tally', 'digest here on funday')).json)).toContain('give a day like monday');
    expect(replyText((await h.command(users.manager, '/tally', 'digest here daily on monday')).json)).toContain(
      'A daily digest has no day',
    );
    expect(replyText((await h.command(users.manager, '/tally', 'digest here north')).json)).toContain('There is no team `north`');
    expect(await h.db.selectFrom('digest_subscriptions').selectAll().execute()).toHaveLength(0);

    const company = replyText((await h.command(users.manager, '/tally', 'digest here')).json);
    expect(company).toContain(`The sales digest will be posted in <#${CHANNEL}> every Monday at 09:00 (America/New_York)`);
    const east = replyText((await h.command(users.manager, '/tally', `digest here weekly <#${EAST}|east>`, { channel: EAST })).json);
    expect(east).toContain(`Team *east*'s digest will be posted in <#${EAST}> every Monday at 09:00`);
    const list = replyText((await h.command(users.manager, '/tally', 'digest')).json);
    expect(list).toContain(`<#${CHANNEL}>: the whole company, every Monday at 09:00`);
    expect(list).toContain(`<#${EAST}>: team *east*, every Monday at 09:00`);
  });

  it('shows a preview to the caller only', async () => {
    h.now = at('2026-11-30T15:00:00Z');
    const reply = await h.command(users.manager, '/tally', 'digest preview');
    expect(reply.json).toMatchObject({ response_type: 'ephemeral' });
    expect(replyText(reply.json)).toContain('Weekly digest · Week 2026-W48 (Nov 23 – Nov 29)');
    expect(posts(CHANNEL)).toHaveLength(0);
  });
});

describe('the scheduled post', () => {
  beforeEach(async () => {
    await h.db.deleteFrom('digest_runs').execute();
    h.slack.reset();
  });

  it('posts each channel once per slot, however many ticks run', async () => {
    expect(await h.digestTick(at('2026-11-30T13:59:00Z'))).toMatchObject({ posted: 0 });
    const first = await h.digestTick(at('2026-11-30T14:00:00Z'));
    const [second, third] = await Promise.all([h.digestTick(at('2026-11-30T14:00:30Z')), h.digestTick(at('2026-11-30T14:01:00Z'))]);
    expect(first.posted).toBe(2);
    expect(second.posted + third.posted).toBe(0);
    expect(posts(CHANNEL)).toHaveLength(1);
    expect(posts(EAST)).toHaveLength(1);
    const recorded = await runs();
    expect(recorded.map((r) => [r.status, r.attempts, r.slot.toISOString()])).toEqual([
      ['posted', 1, SLOT.toISOString()],
      ['posted', 1, SLOT.toISOString()],
    ]);
    expect(recorded[0]!.message_ts).toBe(posts(CHANNEL)[0]!.ts);
  });

  it('says what the team needs to know, with the chart as a valid PNG', async () => {
    await h.digestTick(at('2026-11-30T14:00:00Z'));
    const [post] = posts(CHANNEL);
    const text = replyText(post!.blocks);
    console.log(`Digest posted to #sales:\n${text}`);
    expect(text).toContain('Weekly digest · Week 2026-W48 (Nov 23 – Nov 29)');
    expect(text).toContain('*Last week:* $4,300.00 from 3 deals. No weekly target is set.');
    expect(text).toContain(':trophy: *Top performer:* <@U0REP1> with $2,500.00 last week.');
    expect(text).toContain('*Leaderboard, last week*');
    expect(text).toContain('*Month 2026-11 (Nov 1 – Nov 30) so far*');
    expect(text).toContain('*east*\nMonth:');
    expect(text).toContain('*gadgets*: $300.00 last week, -90% against its 8-week average of $3,000.00');
    expect(text).toContain('Month: ▓▓▓▓▓▓░░░░ *61.5%* of $20,000.00');
    const image = (post!.blocks as Array<{ type: string; slack_file?: { id: string }; alt_text?: string }>).find((b) => b.type === 'image');
    expect(image?.alt_text).toBe('Cumulative sales against the target pace, November 2026');
    const file = h.slack.files.find((f) => f.id === image?.slack_file?.id);
    expect(file?.completed).toBe(true);
    expect(isPng(file!.bytes!)).toBe(true);
    expect(pngSize(file!.bytes!)).toEqual({ width: 1600, height: 800 });
    console.log(`Chart: ${file!.filename}, ${file!.bytes!.length} bytes, ${JSON.stringify(pngSize(file!.bytes!))}`);
  });

  it('waits out 429 Retry-After and still posts exactly once', async () => {
    h.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1, times: 2 });
    const result = await h.digestTick(at('2026-11-30T14:00:00Z'));
    expect(result.posted).toBe(2);
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 429, 200, 200]);
    expect(posts(CHANNEL)).toHaveLength(1);
    expect(posts(EAST)).toHaveLength(1);
  }, 20_000);

  it('posts a slot missed by 3 hours, and skips (and logs) one missed by 30 hours', async () => {
    expect((await h.digestTick(at('2026-11-30T17:00:00Z'))).posted).toBe(2);
    await h.db.deleteFrom('digest_runs').execute();
    h.slack.reset();
    const stale = await h.digestTick(at('2026-12-01T20:00:00Z'));
    expect(stale).toMatchObject({ posted: 0, skipped: 2 });
    expect(posts(CHANNEL)).toHaveLength(0);
    expect((await runs()).map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(h.logs.join('')).toContain('digest slot missed by more than 24 hours: skipped');
    expect((await h.digestTick(at('2026-12-01T20:01:00Z'))).skipped).toBe(0);
  });

  // What a process killed mid-post leaves behind: a claim whose lease runs until 14:10.
  async function claimsOfADeadProcess() {
    const subscriptions = await h.db.selectFrom('digest_subscriptions').selectAll().orderBy('id').execute();
    await h.db
      .insertInto('digest_runs')
      .values(
        subscriptions.map((s) => ({
          subscription_id: s.id,
          slot: SLOT,
          team_id: s.team_id,
          status: 'claimed' as const,
          claimed_by: 'dead-process',
          lease_expires_at: at('2026-11-30T14:10:00Z'),
          attempts: 1,
          created_at: at('2026-11-30T14:00:00Z'),
          updated_at: at('2026-11-30T14:00:00Z'),
        })),
      )
      .execute();
    return subscriptions;
  }

  it('after a process died holding a claim, posts once the lease has expired', async () => {
    await claimsOfADeadProcess();
    expect(await h.digestTick(at('2026-11-30T14:05:00Z'))).toMatchObject({ posted: 0, not_claimed: 2 });
    expect(posts(CHANNEL)).toHaveLength(0);
    expect(await h.digestTick(at('2026-11-30T14:11:00Z'))).toMatchObject({ posted: 2 });
    expect(posts(CHANNEL)).toHaveLength(1);
    expect(posts(EAST)).toHaveLength(1);
    expect((await runs()).map((r) => [r.status, r.attempts])).toEqual([
      ['posted', 2],
      ['posted', 2],
    ]);
    // Before posting over an expired claim, it looked for an earlier post.
    expect(h.slack.callsTo('conversations.history')).toHaveLength(2);
  });

  it('after a process died between posting and recording, finds the post and does not post again', async () => {
    const [company] = await claimsOfADeadProcess();
    const { WebClient } = await import('@slack/web-api');
    await new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.url }).chat.postMessage({
      channel: CHANNEL,
      text: 'Weekly digest (posted by the process that died)',
      metadata: { event_type: 'tally_digest', event_payload: { subscription_id: String(company!.id), slot: SLOT.toISOString() } },
    });
    expect(await h.digestTick(at('2026-11-30T14:11:00Z'))).toMatchObject({ recovered: 1, posted: 1 });
    expect(posts(CHANNEL)).toHaveLength(1);
    expect(posts(EAST)).toHaveLength(1);
    expect((await runs()).map((r) => r.status)).toEqual(['posted', 'posted']);
  });

  it('when the answer to a post is lost, finds the post that landed instead of posting twice', async () => {
    h.slack.hangNext('chat.postMessage', { afterHandling: true });
    const clients = singleTokenClients(h.tally.deps.config, h.tally.deps.logger, { timeoutMs: 500 });
    const result = await h.digestTick(at('2026-11-30T14:00:00Z'), { slack: clients });
    expect(result.posted).toBe(2);
    expect(posts(CHANNEL)).toHaveLength(1);
    expect(posts(EAST)).toHaveLength(1);
  }, 20_000);

  it('tells the subscriber when Tally cannot post in the channel, and keeps the subscription', async () => {
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const result = await h.digestTick(at('2026-11-30T14:00:00Z'));
    expect(result).toMatchObject({ failed: 1, posted: 1 });
    const dm = await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === users.manager.id);
    expect(replyText(dm.args)).toContain('Invite me to the channel with `/invite @Tally`');
    expect((await runs()).map((r) => r.status).sort()).toEqual(['abandoned', 'posted']);
    expect(await h.db.selectFrom('digest_subscriptions').selectAll().execute()).toHaveLength(2);
    expect((await h.digestTick(at('2026-11-30T14:02:00Z'))).posted).toBe(0);
  });

  it('/tally digest send posts now, for managers only', async () => {
    h.now = at('2026-11-30T15:00:00Z');
    expect(replyText((await h.command(users.rep, '/tally', 'digest send')).json)).toContain('Only managers and admins can post the digest');
    expect(posts(CHANNEL)).toHaveLength(0);
    expect(replyText((await h.command(users.manager, '/tally', 'digest send')).json)).toContain('Posting the digest in this channel now');
    await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL);
    expect(posts(CHANNEL)).toHaveLength(1);
  });
});

describe('celebrations', () => {
  it('celebrates a milestone once in the team channel, also when sales race', async () => {
    h.now = at('2026-11-26T15:00:00Z');
    h.slack.reset();
    // rita's November target is $20,000 and she has $2,500: four $2,500 sales race to 50%.
    await Promise.all(Array.from({ length: 4 }, (_, i) => h.command(users.rep, '/logsale', `2500 Race Co ${i + 1}`)));
    await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === EAST);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const celebrations = h.slack.messages(EAST).filter((m) => String(m.text).includes('just reached'));
    expect(celebrations).toHaveLength(1);
    expect(celebrations[0]!.text).toMatch(
      /^:fire: <@U0REP1> just reached 50% of their month revenue target: \$(10,000|12,500)\.00 of \$20,000\.00 for Month 2026-11/,
    );
    const rows = await h.db.selectFrom('celebrations').selectAll().execute();
    expect(rows.map((r) => r.milestone)).toEqual([50]);
  });
});
