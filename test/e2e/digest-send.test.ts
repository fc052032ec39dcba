// `/tally digest send`: answered at once, posted afterwards through the scheduler's
// exactly-once claim on (subscription, slot). A second send, a double click or the scheduler's
// own tick in the same slot never posts a second digest; Slack failing for a while delays the
// post, it does not make the command fail.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL, Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const at = (iso: string) => new Date(iso);
// Weekly on Monday 09:00 in New York: the slot of the week of Wed 2026-12-02 is Mon 30 Nov 14:00Z.
const SLOT = at('2026-11-30T14:00:00Z');
const WEDNESDAY = at('2026-12-02T15:00:00Z');
const QUIET = 'C0QUIET';

beforeAll(async () => {
  h = await Harness.start({ now: at('2026-11-25T15:00:00Z') });
  h.slack.addChannel({ id: QUIET, name: 'quiet', team_id: users.rep.team, members: [users.manager.id] });
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  await h.command(users.manager, '/logsale', `2500 Acme 2026-11-24 ${mention(users.rep)}`);
  await h.command(users.manager, '/tally', 'digest here');
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.db.deleteFrom('digest_runs').execute();
  h.slack.reset();
  h.now = WEDNESDAY;
});

const digestPosts = () =>
  h.slack.messages(CHANNEL).filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'tally_digest');
const runs = () => h.db.selectFrom('digest_runs').select(['slot', 'status', 'message_ts', 'attempts']).execute();
/** The reply's text (its section repeats it). */
const answer = (reply: { json?: unknown }) => (reply.json as { text?: string } | undefined)?.text;
const send = (user: TestUser = users.manager, channel = CHANNEL) =>
  h.command(user, '/tally', 'digest send', { channel, post: { timeoutMs: 3_000 } });

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const posted = () =>
  waitUntil(async () => (await runs()).some((run) => run.status === 'posted'), 'the digest run to be recorded as posted');

describe('/tally digest send', () => {
  it('answers at once while Slack fails twice with 500, then posts once; a second send links to that post', async () => {
    h.slack.failNext('chat.postMessage', { status: 500, times: 2 });

    const first = await send();

    expect(first.status).toBe(200);
    expect(answer(first)).toBe(':outbox_tray: Posting the digest in this channel now. It appears in a moment.');
    expect(digestPosts()).toHaveLength(0);
    await posted();
    expect(digestPosts()).toHaveLength(1);
    expect(
      h.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === CHANNEL)
        .map((c) => c.status),
    ).toEqual([500, 500, 200]);
    const [run] = await runs();
    expect(run).toMatchObject({ slot: SLOT, status: 'posted', message_ts: digestPosts()[0]!.ts, attempts: 1 });

    const second = await send();

    const ts = String(digestPosts()[0]!.ts).replace('.', '');
    expect(answer(second)).toBe(
      `:white_check_mark: The digest for Mon 30 Nov 09:00 is already posted in <#${CHANNEL}>: <https://team-t0acme.slack.com/archives/${CHANNEL}/p${ts}|see it>. Each digest is posted once; the next one follows the schedule (\`/tally digest\`).`,
    );
    expect(digestPosts()).toHaveLength(1);
    expect(h.responsesTo(users.manager)).toEqual([]);
  }, 30_000);

  it('posts the slot the scheduler then finds done: its tick posts nothing more', async () => {
    await send();
    await posted();

    expect(await h.digestTick(at('2026-12-02T15:01:00Z'))).toMatchObject({ posted: 0 });
    expect(await h.digestTick(SLOT)).toMatchObject({ posted: 0, not_claimed: 1 });
    expect(digestPosts()).toHaveLength(1);
  });

  it('after the scheduler posted the slot, answers "already posted" and posts nothing', async () => {
    expect(await h.digestTick(SLOT)).toMatchObject({ posted: 1 });

    const reply = await send();

    expect(replyText(reply.json)).toContain('The digest for Mon 30 Nov 09:00 is already posted');
    expect(digestPosts()).toHaveLength(1);
  });

  it('a double click posts one digest: the other click is told it is posted or on its way', async () => {
    const replies = await Promise.all([send(), send()]);
    await posted();

    const texts = replies.map((reply) => replyText(reply.json)).sort();
    expect(texts.filter((text) => text.startsWith(':outbox_tray: Posting the digest'))).toHaveLength(1);
    expect(texts.filter((text) => /is being posted right now|is already posted/.test(text))).toHaveLength(1);
    expect(digestPosts()).toHaveLength(1);
    expect(await runs()).toHaveLength(1);
  });

  it('posts a slot the scheduler skipped as too old, once', async () => {
    expect(await h.digestTick(WEDNESDAY)).toMatchObject({ skipped: 1, posted: 0 });

    expect(replyText((await send()).json)).toContain('Posting the digest');
    await posted();
    expect(replyText((await send()).json)).toContain('is already posted');
    expect(digestPosts()).toHaveLength(1);
  });

  it('tells the manager afterwards when Slack refuses the post, and a later send posts it', async () => {
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' });

    expect(replyText((await send()).json)).toContain('Posting the digest');
    await waitUntil(async () => h.responsesTo(users.manager).length > 0, 'the failure to be told');
    expect(replyText(h.responsesTo(users.manager)[0])).toContain('The digest could not be posted in this channel');
    expect((await runs()).map((run) => run.status)).toEqual(['abandoned']);
    expect(digestPosts()).toHaveLength(0);

    expect(replyText((await send()).json)).toContain('Posting the digest');
    await posted();
    expect(digestPosts()).toHaveLength(1);
  });

  it('refuses a rep, and a channel without a digest, storing and posting nothing', async () => {
    expect(replyText((await send(users.rep)).json)).toContain('Only managers and admins can post the digest');
    expect(answer(await send(users.manager, QUIET))).toBe(
      'This channel gets no digest yet. Subscribe it with `/tally digest here`, then `/tally digest send` posts the current one.',
    );
    expect(await runs()).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
  });
});
