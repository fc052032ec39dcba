// Past periods named in commands, end to end: `/leaderboard last month`, `/tally me`,
// `/tally teams` and `/tally export` read the same grammar and show a closed period as final.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, TEAM, replyText, users, waitFor } from '../support/harness.js';

let h: Harness;

// The clock reads Thursday 2026-11-26 in New York; the fiscal year is the calendar year.
// Rita has $10,000 a month from October on; Raj has $5,000 a month from November only.
// October: Rita $4,000 + $2,000 (and $9,999 voided), Raj $7,000 on the 31st. September: Rita $900.
// November: Rita $1,000, Raj $500.
beforeAll(async () => {
  h = await Harness.start();
  await h.command(users.admin, '/tally', `managers add <@${users.manager.id}|max>`);
  await h.command(users.manager, '/tally', 'teams add east');
  await h.command(users.manager, '/tally', `teams east add <@${users.rep.id}|rita> <@${users.rep2.id}|raj> from 2026-01-01`);
  const target = (repId: string, start: string, amount: bigint) => ({
    team_id: TEAM,
    subject_type: 'rep' as const,
    subject_id: repId,
    metric: 'revenue' as const,
    period_kind: 'month' as const,
    first_period_start: start,
    last_period_start: null,
    amount,
    created_by: users.manager.id,
    created_at: h.now,
  });
  await h.db
    .insertInto('targets')
    .values([target(users.rep.id, '2026-10-01', 1_000_000n), target(users.rep2.id, '2026-11-01', 500_000n)])
    .execute();
  // The history is typed in as it happened; a first big deal would ask "Log it anyway?".
  await h.db.updateTable('workspaces').set({ guard_rails_enabled: false, updated_at: h.now }).where('team_id', '=', TEAM).execute();
  for (const [user, text] of [
    [users.rep, '900 Initech 2026-09-30'],
    [users.rep, '4000 Acme 2026-10-05'],
    [users.rep, '2000 Globex 2026-10-20'],
    [users.rep, '9999 Mistake 2026-10-21'],
    [users.rep2, '7000 Hooli 2026-10-31'],
    [users.rep, '1000 Acme 2026-11-03'],
    [users.rep2, '500 Hooli 2026-11-02'],
  ] as const) {
    expect(replyText((await h.command(user, '/logsale', text)).json)).toContain('Logged');
  }
  await h.db
    .updateTable('sales')
    .set({ voided_at: h.now, voided_by: users.rep.id, void_reason: 'typo' })
    .where('customer', '=', 'Mistake')
    .execute();
});
afterAll(() => h.stop());

const OCTOBER = 'Month 2026-10 (Oct 1 – Oct 31)';

describe('/leaderboard with a past period', () => {
  it.each(['last month', '2026-10', 'Last Month'])('%j ranks October with final numbers: no pace, no projection', async (text) => {
    const reply = await h.command(users.rep, '/leaderboard', text);
    expect(reply.json).toMatchObject({ response_type: 'ephemeral' });
    const message = reply.json as { blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> };
    expect(message.blocks[0]!.text!.text).toBe(`Leaderboard · ${OCTOBER}`);
    expect(message.blocks[1]!.text!.text).toBe(
      [
        `:first_place_medal: *<@${users.rep.id}> (you)*  $6,000.00 / $10,000.00 · *60.0%*`,
        `:second_place_medal: <@${users.rep2.id}>  $7,000.00 · no target new`,
      ].join('\n'),
    );
    expect(message.blocks[2]!.elements!.map((e) => e.text)).toEqual([
      'Total $13,000.00 of $10,000.00 targeted (3 deals)',
      'Final: the month is over. Ranked by % of target; reps without a target follow by amount. ▲▼ against the month before',
    ]);
  });

  it('names a team after the period, and still shows this month live', async () => {
    const east = replyText((await h.command(users.rep2, '/leaderboard', 'last month east')).json);
    expect(east).toContain(`Leaderboard · east · ${OCTOBER}`);
    expect(east).toContain('$6,000.00 / $10,000.00 · *60.0%*');
    const now = replyText((await h.command(users.rep2, '/leaderboard', '')).json);
    expect(now).toContain('Leaderboard · Month 2026-11 (Nov 1 – Nov 30)');
    // 25 of 30 days gone: Rita's $1,000 of $10,000 is behind, Raj's $500 of $5,000 too.
    expect(now).toContain(`<@${users.rep.id}>  $1,000.00 / $10,000.00 · *10.0%* :red_circle:`);
    expect(now).toContain('by the end of the month');
  });

  it('reads quarters, fiscal years and weeks', async () => {
    expect(replyText((await h.command(users.rep, '/leaderboard', '2026-Q3')).json)).toContain(
      'Leaderboard · Quarter FY2026-Q3 (Jul 1 – Sep 30)',
    );
    expect(replyText((await h.command(users.rep, '/leaderboard', '2026-Q3')).json)).toContain(
      `<@${users.rep.id}> (you)*  $900.00 · no target`,
    );
    // FY2026 is the running year: live, with a projection.
    expect(replyText((await h.command(users.rep, '/leaderboard', 'FY2026')).json)).toContain(
      'Total $15,400.00 of $40,000.00 targeted (6 deals) · by the end of the year',
    );
    const week = replyText((await h.command(users.rep, '/leaderboard', '2026-W44')).json);
    expect(week).toContain('Week 2026-W44 (Oct 26 – Nov 1)');
    expect(week).toContain(`<@${users.rep2.id}>  $7,000.00 · no target`);
  });

  it.each([
    ['last', "I don't know the period `last`"],
    ['2026-13', "I don't know the period `2026-13`"],
    ['2026-12', "2026-12 hasn't started yet"],
    ['last month last week', "I couldn't read `last week`"],
  ])('refuses %j with what to type', async (text, expected) => {
    const reply = await h.command(users.rep, '/leaderboard', text);
    expect(replyText(reply.json)).toContain(expected);
    expect(replyText(reply.json)).toContain('/leaderboard last month');
    expect(replyText(reply.json)).not.toContain('There is no team');
  });
});

describe('/tally me, /tally teams and /tally export with a past period', () => {
  it('/tally me last month: the target in force then, final', async () => {
    const text = replyText((await h.command(users.rep, '/tally', 'me last month')).json);
    expect(text).toContain(`Your numbers · ${OCTOBER}`);
    expect(text).toContain('▓▓▓▓▓▓░░░░ *60.0%* of $10,000.00 · final · $4,000.00 short');
    expect(text).toContain('*Month 2026-10*: $6,000.00 from 2 deals');
    expect(text).toContain('Final: the period is over.');
    const raj = replyText((await h.command(users.rep2, '/tally', 'me 2026-10')).json);
    expect(raj).toContain('You had no target for 2026-10.');
    expect(raj).toContain('*Month 2026-10*: $7,000.00 from 1 deal');
  });

  it('/tally me month: this month, live', async () => {
    const text = replyText((await h.command(users.rep2, '/tally', 'me month')).json);
    expect(text).toContain('Your numbers · Month 2026-11 (Nov 1 – Nov 30)');
    expect(text).toContain('*10.0%* of $5,000.00 · :red_circle: behind · $4,500.00 to go');
    expect(text).toContain('*This month*: $500.00 from 1 deal');
  });

  it('/tally teams last month: the team total against its reps’ targets then', async () => {
    const text = replyText((await h.command(users.manager, '/tally', 'teams last month')).json);
    expect(text).toContain(`Teams · ${OCTOBER}`);
    expect(text).toContain("Target $10,000.00, the sum of its reps' targets.");
    expect(text).toContain('*130.0%* of $10,000.00 · final · target reached :tada:');
  });

  it('/tally export last month: October’s files, attainment final without pace', async () => {
    await h.command(users.manager, '/tally', 'export last month');
    const attainment = await waitFor(() => h.slack.files.find((f) => f.filename === 'attainment-2026-10.csv' && f.bytes));
    expect(attainment.bytes!.toString('utf8')).toBe(
      [
        'rep,rep_name,rep_email,target,actual,percent,pace',
        `${users.rep.id},rita,,10000.00,6000.00,60.0,`,
        `${users.rep2.id},raj,,,7000.00,,`,
        '',
      ].join('\r\n'),
    );
    const sales = await waitFor(() => h.slack.files.find((f) => f.filename === 'sales-2026-10.csv' && f.bytes));
    expect(sales.bytes!.toString('utf8').split('\r\n')).toHaveLength(6); // header, 4 sales (one voided), final line end
  });

  it.each([
    ['me last monht', "I don't know the period `last monht`"],
    ['teams 2027-01', "2027-01 hasn't started yet"],
    ['me <!channel>', "I don't know the period `&lt;!channel&gt;`"],
  ])('refuses /tally %j', async (text, expected) => {
    expect(replyText((await h.command(users.manager, '/tally', text)).json)).toContain(expected);
  });

  it('refuses /tally export of an unknown period and uploads nothing', async () => {
    const uploads = h.slack.callsTo('files.getUploadURLExternal').length;
    await h.command(users.manager, '/tally', 'export next month');
    const answer = await waitFor(() => h.responsesTo(users.manager).find((r) => replyText(r.body).includes('next month')));
    expect(replyText(answer.body)).toContain("I don't know the period `next month`");
    expect(h.slack.callsTo('files.getUploadURLExternal')).toHaveLength(uploads);
  });
});
