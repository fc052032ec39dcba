// Dated team membership and the managers of teams, end to end: a rep who moves from East to
// West mid-month counts for each team for her days in it, and a change never rewrites what
// was already said; a manager of East acts on East's reps only.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, IMPORT_FIELDS, TARGET_FIELDS as F } from '../../src/slack/ids.js';
import { fillModal } from '../support/modal-fill.js';
import { Harness, TEAM, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const EAST = 'C0EAST';
const WEST = 'C0WEST';
const marcus = users.manager; // manages East
const rita = users.rep; // East, then West from 2026-12-15
const raj = users.rep2; // East
const wendy: TestUser = { id: 'U0WENDY', team: TEAM, name: 'wendy' }; // West
const priya: TestUser = { id: 'U0PRIYA', team: TEAM, name: 'priya' }; // manages West
const otto: TestUser = { id: 'U0OTTO', team: TEAM, name: 'otto' }; // a manager never given a team
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const at = (iso: string) => new Date(iso);

const say = async (user: TestUser, command: string, text: string, channel?: string) =>
  replyText((await h.command(user, command, text, channel ? { channel } : {})).json);

beforeAll(async () => {
  // Wednesday 2026-12-02, noon in New York.
  h = await Harness.start({ now: at('2026-12-02T17:00:00Z') });
  for (const user of [wendy, priya, otto]) h.slack.addUser({ id: user.id, team_id: TEAM, name: user.name });
  h.slack.addChannel({ id: EAST, name: 'team-east', team_id: TEAM, members: [rita.id, raj.id, marcus.id] });
  h.slack.addChannel({ id: WEST, name: 'team-west', team_id: TEAM, members: [wendy.id, priya.id] });
  await say(users.admin, '/tally', `managers add ${mention(otto)}`);
  await say(users.admin, '/tally', `teams add east <#${EAST}|team-east>`);
  await say(users.admin, '/tally', `teams add west <#${WEST}|team-west>`);
  await say(users.admin, '/tally', `teams east add ${mention(rita)} ${mention(raj)} from 2026-11-01`);
  await say(users.admin, '/tally', `teams west add ${mention(wendy)} from 2026-11-01`);
  await say(users.admin, '/tally', `teams east managers add ${mention(marcus)} from 2026-11-01`);
  await say(users.admin, '/tally', `teams west managers add ${mention(priya)} from 2026-11-01`);
  await say(marcus, '/tally', `digest here east`, EAST);
  await say(rita, '/logsale', '1200 November Co 2026-11-20');
  await say(rita, '/logsale', '1000 Acme 2026-12-01');
  await say(rita, '/logsale', '2000 Birch');
  await say(raj, '/logsale', '500 Cedar');
  await say(wendy, '/logsale', '700 Delta 2026-12-01');
});
afterAll(() => h.stop());

/** The "so far" line of each team in `/tally teams` (no targets are set in this file before the last test). */
async function teamLines(): Promise<string> {
  return say(raj, '/tally', 'teams');
}

async function stints(userId: string) {
  return h.db
    .selectFrom('sales_team_members as m')
    .innerJoin('sales_teams as t', 't.id', 'm.sales_team_id')
    .select(['t.name', 'm.valid_from', 'm.valid_to'])
    .where('m.user_id', '=', userId)
    .orderBy('t.name')
    .execute();
}

async function eastDigestPost(slot: string): Promise<string> {
  await h.db.deleteFrom('digest_runs').execute();
  h.slack.reset();
  const result = await h.digestTick(at(slot));
  expect(result.posted).toBe(1);
  return replyText(h.slack.messages(EAST).at(-1)!.blocks);
}

async function waitForResponse(user: TestUser, count: number) {
  for (let i = 0; i < 200; i++) {
    const responses = h.responsesTo(user);
    if (responses.length >= count) return responses[count - 1]!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no response_url post for ${user.id}`);
}

describe('a rep moved from East to West mid-month', () => {
  let digestBefore: string;

  it('before the move, counts all her December sales for East', async () => {
    h.now = at('2026-12-15T17:00:00Z');
    const teams = await teamLines();
    expect(teams).toContain(
      `*east* · <#${EAST}>\n<@${rita.id}> (since 2026-11-01) <@${raj.id}> (since 2026-11-01)\nManaged by <@${marcus.id}> (since 2026-11-01)\n`,
    );
    expect(teams).toMatch(/\*east\*[\s\S]*\$3,500\.00 so far/);
    expect(teams).toMatch(/\*west\*[\s\S]*\$700\.00 so far/);
    const board = await say(raj, '/leaderboard', 'month east');
    expect(board).toContain(`<@${rita.id}>`);
    expect(board).toContain('$3,000.00');
    expect(board).toContain('$500.00');
    // The Monday digest of East for the week of Dec 7.
    digestBefore = await eastDigestPost('2026-12-14T14:00:00Z');
    expect(digestBefore).toContain('east · Weekly digest');
  });

  it('moves her from today on: East keeps her sales before, West counts hers after', async () => {
    expect(await say(marcus, '/tally', `teams east remove ${mention(rita)}`)).toContain(
      `Removed <@${rita.id}> from *east* from today (2026-12-15). Sales closed before then still count for *east*.`,
    );
    expect(await say(priya, '/tally', `teams west add ${mention(rita)}`)).toContain(
      `Added <@${rita.id}> to *west* from today (2026-12-15): sales closed from then on count for *west*.`,
    );
    expect(await stints(rita.id)).toEqual([
      { name: 'east', valid_from: '2026-11-01', valid_to: '2026-12-15' },
      { name: 'west', valid_from: '2026-12-15', valid_to: null },
    ]);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'after'])
      .where('action', 'like', 'team.members_%')
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    expect(audit).toEqual([
      { actor_id: priya.id, action: 'team.members_added', after: { userIds: [rita.id], from: '2026-12-15' } },
      { actor_id: marcus.id, action: 'team.members_removed', after: { userIds: [rita.id], from: '2026-12-15' } },
    ]);

    h.now = at('2026-12-17T17:00:00Z');
    await say(rita, '/logsale', '4000 Elm');
    const teams = await teamLines();
    expect(teams).toContain(`*east* · <#${EAST}>\n<@${raj.id}> (since 2026-11-01)\n`);
    expect(teams).toContain(`*west* · <#${WEST}>\n<@${rita.id}> (since 2026-12-15) <@${wendy.id}> (since 2026-11-01)\n`);
    expect(teams).toMatch(/\*east\*[\s\S]*\$3,500\.00 so far/);
    expect(teams).toMatch(/\*west\*[\s\S]*\$4,700\.00 so far/);
  });

  it('ranks her in each team for her days in it on /leaderboard', async () => {
    const east = await say(raj, '/leaderboard', 'month east');
    const west = await say(raj, '/leaderboard', 'month west');
    console.log(`/leaderboard month east:\n${east}\n/leaderboard month west:\n${west}`);
    expect(east).toMatch(new RegExp(`<@${rita.id}>[^\\n]*\\$3,000\\.00`));
    expect(east).toMatch(new RegExp(`<@${raj.id}>[^\\n]*\\$500\\.00`));
    expect(west).toMatch(new RegExp(`<@${rita.id}>[^\\n]*\\$4,000\\.00`));
    expect(west).toMatch(new RegExp(`<@${wendy.id}>[^\\n]*\\$700\\.00`));
    expect(east).not.toContain('$4,000.00');
  });

  it('gives the same digest for a past slot, and a preview with her East sales in East', async () => {
    expect(await eastDigestPost('2026-12-14T14:00:00Z')).toBe(digestBefore);
    const preview = await say(marcus, '/tally', 'digest preview', EAST);
    console.log(`Digest preview in #team-east:\n${preview}`);
    expect(preview).toMatch(new RegExp(`Month 2026-12 \\(Dec 1 – Dec 31\\) so far\\*\\n[\\s\\S]*<@${rita.id}>[^\\n]*\\$3,000\\.00`));
    expect(preview).toContain('*east*\nMonth: $3,500.00 so far');
  });

  it('exports each sale with the teams it counts for, and November as it was', async () => {
    const file = (name: string) => h.slack.files.find((f) => f.filename === name)!.bytes!.toString('utf8');
    // closed_on, rep_id, customer and teams of each exported sale.
    const rows = (csv: string) => (parse(csv) as string[][]).map((cells) => [cells[1], cells[2], cells[10], cells[17]].join(' '));
    expect((await h.command(marcus, '/tally', 'export 2026-11')).status).toBe(200);
    await waitForResponse(marcus, 1);
    expect(file('attainment-2026-11.csv')).toBe(
      ['rep,rep_name,rep_email,target,actual,percent,pace', `${rita.id},${rita.name},,,1200.00,,`, ''].join('\r\n'),
    );
    expect(rows(file('sales-2026-11.csv'))).toEqual(['closed_on rep_id customer teams', `2026-11-20 ${rita.id} November Co east`]);
    expect((await h.command(marcus, '/tally', 'export 2026-12')).status).toBe(200);
    await waitForResponse(marcus, 2);
    expect(rows(file('sales-2026-12.csv'))).toEqual([
      'closed_on rep_id customer teams',
      `2026-12-01 ${rita.id} Acme east`,
      `2026-12-01 ${wendy.id} Delta west`,
      `2026-12-02 ${rita.id} Birch east`,
      `2026-12-02 ${raj.id} Cedar east`,
      `2026-12-17 ${rita.id} Elm west`,
    ]);
  });
});

describe('a manager of East', () => {
  const salesOf = async (repId: string) =>
    (
      await h.db
        .selectFrom('sales')
        .select(['customer', 'amount_minor', 'closed_on', 'created_by'])
        .where('rep_id', '=', repId)
        .where('voided_at', 'is', null)
        .orderBy('id')
        .execute()
    ).map((s) => `${s.closed_on} ${s.customer} ${s.amount_minor} by ${s.created_by}`);

  async function openTargetModal(user: TestUser) {
    const before = h.slack.callsTo('views.open').length;
    await h.command(user, '/target', '');
    await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
    return h.slack.lastModal()!;
  }

  it('logs a sale for a rep of East, and is refused for a rep of West', async () => {
    const refused = await say(marcus, '/logsale', `300 Fig ${mention(wendy)}`);
    expect(refused).toContain(`Only admins and managers of *west* (<@${wendy.id}>'s team on 2026-12-17) can log a sale for someone else.`);
    expect(await say(marcus, '/logsale', `300 Fig ${mention(raj)}`)).toContain('$300.00');
    // Rita is West's today, but was East's on Dec 10: that sale is East's, so Marcus's.
    expect(await say(marcus, '/logsale', `250 Grove ${mention(rita)}`)).toContain(
      `Only admins and managers of *west* (<@${rita.id}>'s team on 2026-12-17)`,
    );
    expect(await say(marcus, '/logsale', `250 Grove 2026-12-10 ${mention(rita)}`)).toContain('$250.00');
    expect(await salesOf(wendy.id)).toEqual(['2026-12-01 Delta 70000 by U0WENDY']);
    expect(await salesOf(raj.id)).toEqual(['2026-12-02 Cedar 50000 by U0REP2', `2026-12-17 Fig 30000 by ${marcus.id}`]);
    expect(await salesOf(rita.id)).toEqual([
      '2026-11-20 November Co 120000 by U0REP1',
      '2026-12-01 Acme 100000 by U0REP1',
      '2026-12-02 Birch 200000 by U0REP1',
      '2026-12-17 Elm 400000 by U0REP1',
      `2026-12-10 Grove 25000 by ${marcus.id}`,
    ]);
  });

  it('voids a sale of East, and is refused a sale of West', async () => {
    const idOf = async (customer: string) =>
      (await h.db.selectFrom('sales').select('id').where('customer', '=', customer).executeTakeFirstOrThrow()).id;
    await h.clickButton(marcus, ACTIONS.undoSale, String(await idOf('Delta')));
    expect(replyText((await waitForResponse(marcus, 3)).body)).toContain(
      `Only admins and managers of *west* (<@${wendy.id}>'s team on 2026-12-01) can void someone else's sale.`,
    );
    await h.clickButton(marcus, ACTIONS.undoSale, String(await idOf('Cedar')));
    expect(replyText((await waitForResponse(marcus, 4)).body)).toContain('Voided');
    expect(await salesOf(wendy.id)).toEqual(['2026-12-01 Delta 70000 by U0WENDY']);
    expect(await salesOf(raj.id)).toEqual([`2026-12-17 Fig 30000 by ${marcus.id}`]);
  });

  it('sets a target for a rep of East, and is refused one for a rep of West', async () => {
    const forWendy = await openTargetModal(marcus);
    const refused = await h.submitView(marcus, forWendy, fillModal(forWendy, { [F.rep]: wendy.id, [F.amount]: '8k' }));
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { [F.amount]: `Only admins and managers of *west* (<@${wendy.id}>'s team on 2026-12-17) can set someone else's targets.` },
    });
    const forRaj = await openTargetModal(marcus);
    expect((await h.submitView(marcus, forRaj, fillModal(forRaj, { [F.rep]: raj.id, [F.amount]: '5k' }))).json).not.toMatchObject({
      response_action: 'errors',
    });
    const targets = await h.db.selectFrom('targets').select(['subject_id', 'amount']).execute();
    expect(targets).toEqual([{ subject_id: raj.id, amount: 500_000n }]);
  });

  it("changes East's members, and is refused West's; only admins choose who manages a team", async () => {
    expect(await say(marcus, '/tally', `teams west remove ${mention(wendy)}`)).toContain(
      'Only admins and managers of *west* can change the members of *west*.',
    );
    expect(await say(marcus, '/tally', `teams west managers add ${mention(marcus)}`)).toContain(
      'Only workspace admins can choose who manages a team.',
    );
    expect(await say(raj, '/tally', `teams east remove ${mention(raj)}`)).toContain(
      'Only admins and managers of *east* can change the members of *east*.',
    );
    // A date before Marcus managed East is not his to change.
    expect(await say(marcus, '/tally', `teams east add ${mention(wendy)} from 2026-10-01`)).toContain(
      'Only admins and managers of *east* can change the members of *east*.',
    );
    expect(await say(marcus, '/tally', `teams east remove ${mention(raj)} from 2026-12-31`)).toContain(
      `Removed <@${raj.id}> from *east* from 2026-12-31. Sales closed before then still count for *east*.`,
    );
    expect(await stints(wendy.id)).toEqual([{ name: 'west', valid_from: '2026-11-01', valid_to: null }]);
    expect(await stints(raj.id)).toEqual([{ name: 'east', valid_from: '2026-11-01', valid_to: '2026-12-31' }]);
    expect(await say(raj, '/tally', 'teams')).toContain(`<@${raj.id}> (since 2026-11-01, until 2026-12-31)`);
    const managers = await h.db
      .selectFrom('sales_team_managers')
      .select(['user_id', 'valid_from', 'valid_to'])
      .orderBy('user_id')
      .execute();
    expect(managers).toEqual([
      { user_id: marcus.id, valid_from: '2026-11-01', valid_to: null },
      { user_id: priya.id, valid_from: '2026-11-01', valid_to: null },
    ]);
  });

  it('gets a clear answer to a wrong date, and nothing changes', async () => {
    const before = await stints(raj.id);
    expect(await say(marcus, '/tally', `teams east remove ${mention(raj)} 2026-02-30`)).toContain(
      '`2026-02-30` is not a date: write it as YYYY-MM-DD, like `/tally teams east remove @rep from 2026-12-17`.',
    );
    expect(await say(marcus, '/tally', `teams east remove ${mention(raj)} 31/12`)).toContain(
      '`31/12` is not a date: write it as YYYY-MM-DD.',
    );
    expect(await say(marcus, '/tally', `teams east remove ${mention(raj)} from`)).toContain(
      'After the people, give the first day it applies to',
    );
    expect(await stints(raj.id)).toEqual(before);
  });

  it('a manager never given a team still acts on everyone', async () => {
    expect(await say(otto, '/logsale', `100 Hazel ${mention(wendy)}`)).toContain('$100.00');
    expect(await say(otto, '/tally', `teams west remove ${mention(wendy)} 2027-01-01`)).toContain(
      `Removed <@${wendy.id}> from *west* from 2027-01-01.`,
    );
    expect(await salesOf(wendy.id)).toEqual(['2026-12-01 Delta 70000 by U0WENDY', `2026-12-17 Hazel 10000 by ${otto.id}`]);
  });

  it('a manager given a team becomes a manager; managing ends from a date', async () => {
    expect(await say(users.admin, '/tally', `teams west managers add ${mention(raj)} from 2026-12-20`)).toContain(
      `:briefcase: <@${raj.id}> manages *west* from 2026-12-20: targets, sales and members of its reps.`,
    );
    expect(await say(users.admin, '/tally', 'managers')).toContain(`<@${raj.id}>`);
    // Not yet: his teams start on the 20th.
    expect(await say(raj, '/logsale', `50 Ivy ${mention(wendy)}`)).toContain(`Only admins and managers of *west*`);
    h.now = at('2026-12-21T17:00:00Z');
    expect(await say(raj, '/logsale', `50 Ivy ${mention(wendy)}`)).toContain('$50.00');
    expect(await say(users.admin, '/tally', `teams west managers remove ${mention(raj)} 2026-12-22`)).toContain(
      `<@${raj.id}> no longer manages *west* from 2026-12-22.`,
    );
    h.now = at('2026-12-22T17:00:00Z');
    expect(await say(raj, '/logsale', `60 Juniper ${mention(wendy)}`)).toContain(`Only admins and managers of *west*`);
    expect((await salesOf(wendy.id)).filter((s) => / (Ivy|Juniper) /.test(s))).toEqual([`2026-12-21 Ivy 5000 by ${raj.id}`]);
  });

  it('a revoked manager manages no team from that day on; the days before stay', async () => {
    await say(users.admin, '/tally', `managers remove ${mention(priya)}`);
    const managers = await h.db
      .selectFrom('sales_team_managers')
      .select(['user_id', 'valid_from', 'valid_to'])
      .where('user_id', '=', priya.id)
      .execute();
    expect(managers).toEqual([{ user_id: priya.id, valid_from: '2026-11-01', valid_to: '2026-12-22' }]);
    expect(await say(raj, '/tally', 'teams')).not.toContain(`<@${priya.id}>`);
    expect(await say(priya, '/logsale', `70 Kale ${mention(wendy)}`)).toContain(
      `Only admins and managers of *west* (<@${wendy.id}>'s team on 2026-12-22) can log a sale for someone else.`,
    );
  });
});

describe('a manager of East importing a CSV file', () => {
  async function importReport(user: TestUser, what: string, filename: string, content: string): Promise<string> {
    const opened = h.slack.callsTo('views.open').length;
    await h.command(user, '/tally', `import ${what}`.trim());
    await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > opened);
    const view = h.slack.lastModal()!;
    const file = h.slack.addUserFile({ team_id: TEAM, user: user.id, filename, content });
    const dms = () => h.slack.callsTo('chat.postMessage').filter((call) => call.args.channel === user.id);
    const before = dms().length;
    await h.submitView(user, view, { [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files: [file] } } });
    await h.slack.waitForCall('chat.postMessage', () => dms().length > before);
    return replyText(dms()[before]!.args);
  }

  it("is refused the rows of West's reps, row by row, and nothing is stored", async () => {
    const sales = await h.db
      .selectFrom('sales')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const salesFile = [
      'date,rep,amount,currency,customer',
      `2026-12-03,${raj.id},100,,East deal`,
      `2026-12-03,${wendy.id},100,,West deal`,
      `2026-12-04,${raj.id},100,,East again`,
    ].join('\n');
    const report = await importReport(marcus, '', 'sales.csv', salesFile);
    expect(report).toContain('1 of 3 rows have problems. Nothing was imported.');
    expect(report).toContain(
      "Row 3 (wendy, U0WENDY): Only admins and managers of *west* (wendy's team on 2026-12-03) can log a sale for someone else.",
    );
    expect(
      await h.db
        .selectFrom('sales')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual(sales);

    const targets = await importReport(marcus, 'targets', 'targets.csv', ['rep,2027-01', `${raj.id},5000`, `${wendy.id},8000`].join('\n'));
    expect(targets).toContain(
      "Row 3 (wendy, U0WENDY): Only admins and managers of *west* (wendy's team on 2026-12-22) can set someone else's targets.",
    );
    expect(targets).not.toMatch(/Row 2\b/);
    expect(await h.db.selectFrom('targets').select('subject_id').where('first_period_start', '=', '2027-01-01').execute()).toEqual([]);
  });
});
