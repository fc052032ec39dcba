// App Home: what reps, managers and admins see, the setup an admin finishes from it, and
// Edit, Void and Settings from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIONS,
  LOG_SALE_FIELDS as L,
  SETTINGS_FIELDS as S,
  SETUP_FIELDS as SF,
  TARGET_FIELDS as T,
  VIEWS,
  VOID_FIELDS as V,
} from '../../src/slack/ids.js';
import { craftChoice, fillModal } from '../support/modal-fill.js';
import { CHANNEL, DEFAULT_NOW, Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const homeText = (user: TestUser) => replyText(h.slack.homeView(user.id)?.blocks ?? []);
const saleOf = async (customer: string) => h.db.selectFrom('sales').selectAll().where('customer', '=', customer).executeTakeFirstOrThrow();

async function openHome(user: TestUser) {
  const before = h.slack.callsTo('views.publish').length;
  const reply = await h.openHome(user);
  expect(reply.status).toBe(200);
  await waitForPublish(user, before);
  return homeText(user);
}

/** Waits for a views.publish for this user after the first `after` calls. */
async function waitForPublish(user: TestUser, after: number) {
  await h.slack.waitForCall('views.publish', () =>
    h.slack
      .callsTo('views.publish')
      .slice(after)
      .some((c) => c.args.user_id === user.id),
  );
}

async function openedModal(act: () => Promise<unknown>) {
  const before = h.slack.callsTo('views.open').length;
  await act();
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  return h.slack.lastModal()!;
}

const raj = users.rep2;
const rita = users.rep;
/** A rep in no team, with no sales and no target. */
const newcomer: TestUser = { id: 'U0REP3', team: users.rep.team, name: 'nina' };

beforeAll(async () => {
  h = await Harness.start();
  h.slack.addUser({ id: newcomer.id, team_id: newcomer.team, name: newcomer.name, tz: 'America/New_York' });
});
afterAll(() => h.stop());

/** Presses a button of the person's App Home and returns the modal it opened. */
const openFromHome = async (user: TestUser, actionId: string) => {
  await openHome(user);
  return openedModal(() => h.clickInHome(user, actionId, 'open'));
};

/** Submits a setup form and returns the person's App Home afterwards. */
async function submitAndReopen(user: TestUser, view: Awaited<ReturnType<typeof openedModal>>, answers: Parameters<typeof fillModal>[1]) {
  const reply = await h.submitView(user, view, fillModal(view, answers));
  expect(reply.body).toBe('');
  return openHome(user);
}

describe('an admin sets Tally up from App Home', () => {
  it('a new workspace: the setup comes first and says what is missing, each with a button', async () => {
    const text = await openHome(users.admin);
    expect(text.indexOf('Setup')).toBeLessThan(text.indexOf('Leaderboard · Month 2026-11'));
    expect(text).toContain(':warning: Still missing: a digest channel, a sales team, a product, a target. Each button below sets it up.');
    expect(text).toContain('*Timezone* America/New_York · *Currency* USD');
    expect(text).toContain(':warning: *No digest channel*: no channel gets the weekly digest yet.');
    expect(text).toContain(':warning: *No sales teams*');
    expect(text).toContain(':warning: *No products*');
    expect(text).toContain(':warning: *No targets*');
    const blocks = JSON.stringify(h.slack.homeView(users.admin.id)!.blocks);
    for (const action of [
      ACTIONS.openSettings,
      ACTIONS.openDigestChannel,
      ACTIONS.openAddTeam,
      ACTIONS.openAddProduct,
      ACTIONS.openSetTarget,
    ])
      expect(blocks).toContain(`"action_id":"${action}"`);
  });

  it('Add a team: a bad or empty name is refused on its field; a good one is created once, and Home shows it', async () => {
    const view = await openFromHome(users.admin, ACTIONS.openAddTeam);
    expect(view.callback_id).toBe(VIEWS.addTeam);
    for (const [answers, message] of [
      [{ [SF.teamName]: '' }, 'Give the team a name, like east.'],
      [{ [SF.teamName]: 'east side' }, 'A team name is one word'],
    ] as const) {
      const reply = await h.submitView(users.admin, view, fillModal(view, answers));
      expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [SF.teamName]: expect.stringContaining(message) } });
    }
    const home = await submitAndReopen(users.admin, view, { [SF.teamName]: 'east', [SF.teamChannel]: CHANNEL });
    expect(home).toContain('*Sales teams* 1 team: `/tally teams`');
    expect(home).not.toContain('No sales teams');
    // A double click: the second submission is refused and nothing is added.
    const again = await h.submitView(users.admin, view, fillModal(view, { [SF.teamName]: 'East' }));
    expect(again.json).toMatchObject({
      response_action: 'errors',
      errors: { [SF.teamName]: expect.stringContaining('There is already a team called') },
    });
    const teams = await h.db.selectFrom('sales_teams').selectAll().execute();
    expect(teams.map((t) => [t.name, t.channel_id])).toEqual([['east', CHANNEL]]);
  });

  it('Add a product: refused when empty or taken; Home counts it', async () => {
    const view = await openFromHome(users.admin, ACTIONS.openAddProduct);
    expect(view.callback_id).toBe(VIEWS.addProduct);
    const empty = await h.submitView(users.admin, view, fillModal(view, { [SF.productName]: '  ' }));
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { [SF.productName]: 'Give the product a name, like widgets.' } });
    const home = await submitAndReopen(users.admin, view, { [SF.productName]: '#widgets' });
    expect(home).toContain('*Products* 1 product: `/tally products`');
    const taken = await h.submitView(users.admin, view, fillModal(view, { [SF.productName]: 'widgets' }));
    expect(taken.json).toMatchObject({
      response_action: 'errors',
      errors: { [SF.productName]: expect.stringContaining('There is already a product called') },
    });
    expect((await h.db.selectFrom('products').select('name').execute()).map((p) => p.name)).toEqual(['widgets']);
  });

  it('Choose a digest channel: a channel is required; the chosen one gets the digest as /tally digest here would', async () => {
    const view = await openFromHome(users.admin, ACTIONS.openDigestChannel);
    expect(view.callback_id).toBe(VIEWS.digestChannel);
    const none = await h.submitView(users.admin, view, fillModal(view, { [SF.digestChannel]: null }));
    expect(none.json).toMatchObject({ response_action: 'errors', errors: { [SF.digestChannel]: 'Choose a channel from the list.' } });
    const crafted = await h.submitView(users.admin, view, fillModal(view, { [SF.digestChannel]: 'general; drop' }));
    expect(crafted.json).toMatchObject({ response_action: 'errors', errors: { [SF.digestChannel]: 'Choose a channel from the list.' } });
    const home = await submitAndReopen(users.admin, view, { [SF.digestChannel]: CHANNEL, [SF.digestCadence]: 'Every day at 09:00' });
    expect(home).toContain(`*Digest* <#${CHANNEL}> (the whole company, every day at 09:00)`);
    // A double click changes nothing: the channel keeps one subscription.
    expect(
      (await h.submitView(users.admin, view, fillModal(view, { [SF.digestChannel]: CHANNEL, [SF.digestCadence]: 'daily' }))).body,
    ).toBe('');
    const subscriptions = await h.db.selectFrom('digest_subscriptions').selectAll().execute();
    expect(subscriptions.map((s) => [s.channel_id, s.sales_team_id, s.cadence, s.at_time])).toEqual([[CHANNEL, null, 'daily', '09:00']]);
    expect(replyText((await h.command(users.admin, '/tally', 'digest')).json)).toContain(
      `<#${CHANNEL}>: the whole company, every day at 09:00`,
    );
  });

  it('Set target opens the target form; once a target is set, Tally is set up and the setup moves below', async () => {
    const view = await openFromHome(users.admin, ACTIONS.openSetTarget);
    expect(view.callback_id).toBe(VIEWS.setTarget);
    const home = await submitAndReopen(users.admin, view, { [T.rep]: rita.id, [T.amount]: '10k', [T.first]: '2026-11-01' });
    expect(home).toContain(':white_check_mark: Tally is set up.');
    expect(home).toContain('*Targets* 1 target set');
    expect(home).not.toContain('Still missing');
    expect(home.indexOf('Leaderboard · Month 2026-11')).toBeLessThan(home.indexOf('Setup'));
  });

  it('Change opens the settings; a new timezone shows on Home', async () => {
    const view = await openFromHome(users.admin, ACTIONS.openSettings);
    expect(view.callback_id).toBe(VIEWS.settings);
    const home = await submitAndReopen(users.admin, view, { [S.timezone]: 'America/Chicago' });
    expect(home).toContain('*Timezone* America/Chicago · *Currency* USD');
    expect(home).toContain(
      'Workspace: America/Chicago · USD · fiscal year starts in month 1 · no closed periods · celebrations on at 50/100/150%',
    );
  });

  it('a rep gets neither the setup nor its forms, also through crafted requests', async () => {
    const home = await openHome(rita);
    expect(home).not.toContain('Setup');
    expect(home).not.toContain('Add a team');
    const opened = h.slack.callsTo('views.open').length;
    await h.clickInHome(rita, ACTIONS.openAddTeam, 'open');
    const dm = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === rita.id && String(c.args.text).includes('Only managers and admins can create teams'),
    );
    expect(dm).toBeDefined();
    expect(h.slack.callsTo('views.open')).toHaveLength(opened);
    // A form opened by an admin, submitted by a rep.
    const view = await openFromHome(users.admin, ACTIONS.openAddProduct);
    const reply = await h.submitView(rita, view, fillModal(view, { [SF.productName]: 'gadgets' }));
    expect(reply.json).toMatchObject({
      response_action: 'errors',
      errors: { [SF.productName]: expect.stringContaining('Only managers and admins can add products') },
    });
    const digest = await openFromHome(users.admin, ACTIONS.openDigestChannel);
    const refused = await h.submitView(rita, digest, fillModal(digest, { [SF.digestChannel]: 'C0OTHER' }));
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { [SF.digestChannel]: expect.stringContaining('Only managers and admins can schedule digests') },
    });
    expect(await h.db.selectFrom('products').select('name').execute()).toHaveLength(1);
    expect(await h.db.selectFrom('digest_subscriptions').selectAll().execute()).toHaveLength(1);
  });
});

describe('what App Home shows each role', () => {
  beforeAll(async () => {
    await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
    await h.command(users.admin, '/tally', 'teams add west');
    await h.command(users.admin, '/tally', `teams east add ${mention(rita)} from 2026-10-01`);
    await h.command(users.admin, '/tally', `teams west add ${mention(raj)} from 2026-10-01`);
    await h.command(users.admin, '/tally', `teams east managers add ${mention(users.manager)}`);
    // Raj is in west, which max does not manage: an admin sets his target.
    const view = await openedModal(() => h.command(users.admin, '/target', ''));
    expect(
      (await h.submitView(users.admin, view, fillModal(view, { [T.rep]: raj.id, [T.amount]: '5k', [T.first]: '2026-11-01' }))).body,
    ).toBe('');
    // October, ranked by amount (no targets then): raj first, rita second.
    for (const [user, text] of [
      [raj, '5000 Octo 2026-10-15'],
      [rita, '1000 Oldco #widgets 2026-10-10'],
      [rita, '3000 Acme #widgets 2026-11-24'],
      [rita, '1500 Globex 2026-11-20'],
      [raj, '800 Hooli'],
    ] as const) {
      expect(replyText((await h.command(user, '/logsale', text)).json)).toContain('Logged');
    }
  });

  it('a rep: rank and movement, targets with pace, the last sales with Edit and Void, and the team standing', async () => {
    const text = await openHome(rita);
    expect(text).toContain(":trophy: *1st of 2* on this month's leaderboard · up 1 since last month (▲1)");
    expect(text).toContain('*45.0%* of $10,000.00 · :red_circle: behind · $5,500.00 to go');
    expect(text).toContain('This month: *$4,500.00* (2 deals)');
    expect(text).toContain('*$3,000.00* · 2026-11-24 · Acme · #widgets');
    expect(text).toContain('*$1,500.00* · 2026-11-20 · Globex');
    expect(text).toContain('Your team · Month 2026-11 (Nov 1 – Nov 30)');
    expect(text).toContain('*east* · 1st of 2 teams\n$4,500.00 of $10,000.00 · *45.0%* · :red_circle: behind');
    expect(text).toContain('Log a sale');
    for (const absent of ['Set target', 'Behind pace', 'Products needing attention', 'Setup', '*west*', `<@${raj.id}>`])
      expect(text).not.toContain(absent);
    expect(JSON.stringify(h.slack.homeView(rita.id)!.blocks)).toContain('"action_id":"sale_menu"');

    const second = await openHome(raj);
    expect(second).toContain(":trophy: *2nd of 2* on this month's leaderboard · down 1 since last month (▼1)");
    expect(second).toContain('*west* · 2nd of 2 teams\n$800.00 of $5,000.00 · *16.0%* · :red_circle: behind');
  });

  it("one truth: the rank, movement and totals on a rep's Home are those of /leaderboard and /tally me", async () => {
    for (const rep of [rita, raj]) {
      const home = await openHome(rep);
      const board = replyText((await h.command(rep, '/leaderboard', '')).json);
      const me = replyText((await h.command(rep, '/tally', 'me')).json);
      const row = new RegExp(
        String.raw`^(\S+) \*<@${rep.id}> \(you\)\*  (\$[\d,.]+) / (\$[\d,.]+) · \*([\d.]+)%\* :\w+:(?: (\S+))?$`,
        'm',
      ).exec(board);
      const rank = /\*(\d+)(?:st|nd|rd|th) of (\d+)\* on this month's leaderboard · [^(]*\((\S+)\)/.exec(home);
      const homeTotal = /This month: \*(\$[\d,.]+)\* \((\d+) deals?\)/.exec(home);
      const meTotal = /\*This month\*: (\$[\d,.]+) from (\d+) deals?/.exec(me);
      expect(row && rank && homeTotal && meTotal, `${rep.name}: ${home}\n---\n${board}\n---\n${me}`).toBeTruthy();
      const medals: Record<string, string> = { ':first_place_medal:': '1', ':second_place_medal:': '2', ':third_place_medal:': '3' };
      expect(rank![1]).toBe(medals[row![1]!] ?? row![1]!.replace('.', ''));
      expect(rank![3]).toBe(row![5]);
      expect(homeTotal![1]).toBe(row![2]);
      expect(homeTotal!.slice(1)).toEqual(meTotal!.slice(1));
      // The month's target line is the same text on Home and in /tally me.
      const monthLine = (text: string) => /\*Month 2026-11 [^*]+\* · revenue\n([^\n]+)/.exec(text)?.[1];
      expect(monthLine(home)).toBeDefined();
      expect(monthLine(home)).toBe(monthLine(me));
      expect(monthLine(home)).toContain(`*${row![4]}%* of ${row![3]}`);
    }
    // The team standing on Home: the same share of the same target, and pace, as /tally teams.
    const teams = replyText((await h.command(users.admin, '/tally', 'teams')).json);
    for (const [rep, name] of [
      [rita, 'east'],
      [raj, 'west'],
    ] as const) {
      const home = await openHome(rep);
      const onHome = new RegExp(String.raw`\*${name}\* · \d\w\w of 2 teams\n(\$[\d,.]+) of (\$[\d,.]+) · \*([\d.]+)%\* · (:\w+:)`).exec(
        home,
      );
      const inTeams = new RegExp(String.raw`\*${name}\*[^]*?Target (\$[\d,.]+),[^\n]*\n[^\n]*\*([\d.]+)%\* of (\$[\d,.]+) · (:\w+:)`).exec(
        teams,
      );
      expect(onHome && inTeams, `${home}\n---\n${teams}`).toBeTruthy();
      expect([onHome![2], onHome![3], onHome![4]]).toEqual([inTeams![1], inTeams![2], inTeams![4]]);
      expect(onHome![2]).toBe(inTeams![3]);
    }
  });

  it('a rep in no team, without sales or targets, is told how to get on the board', async () => {
    const text = await openHome(newcomer);
    expect(text).toContain(":trophy: Not on this month's leaderboard yet: a sale this month puts you on it.");
    expect(text).toContain('You have no targets yet. Your manager sets them with `/target`.');
    expect(text).toContain("You're in no sales team yet. A manager adds you with `/tally teams NAME add @you`.");
    expect(text).toContain('No sales yet.');
  });

  it('a manager: the teams they manage first, their reps behind pace and the products, and no numbers of their own without targets', async () => {
    const text = await openHome(users.manager);
    expect(h.slack.homeView(users.manager.id)!.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Your teams · Month 2026-11 (Nov 1 – Nov 30)' },
    });
    expect(text).toContain('*east* · 1st of 2 teams\n$4,500.00 of $10,000.00 · *45.0%* · :red_circle: behind');
    // East's own board: rita was first in east last month too.
    expect(text).toContain(':first_place_medal: <@U0REP1>  $4,500.00 / $10,000.00 · *45.0%* :red_circle:\n');
    expect(text).toContain(':red_circle: *Behind pace*\n• <@U0REP1> 45.0% of $10,000.00, $5,500.00 to go');
    expect(text).toContain(
      ':warning: *Products needing attention*\n• *widgets*: $0.00 last week, -100% against its 8-week average of $125.00',
    );
    expect(text).toContain('Set target');
    expect(text).toContain('Log a sale for a rep');
    expect(text).toContain('Settings');
    // Only east: nothing of west or its rep, no workspace setup, and no "no targets" line for a manager.
    for (const absent of ['*west*', `<@${raj.id}>`, 'Setup', 'Workspace:', 'Your numbers', 'You have no targets yet'])
      expect(text).not.toContain(absent);
  });

  it('a manager sees a team from the day they manage it, not before', async () => {
    expect(
      replyText((await h.command(users.admin, '/tally', `teams west managers add ${mention(users.manager)} from 2026-12-01`)).json),
    ).toContain('manages *west* from 2026-12-01');
    expect(await openHome(users.manager)).not.toContain('*west*');
    h.now = new Date('2026-12-02T15:00:00Z');
    try {
      const text = await openHome(users.manager);
      expect(text).toContain('Your teams · Month 2026-12 (Dec 1 – Dec 31)');
      expect(text).toContain('*east* · ');
      expect(text).toContain('*west* · ');
      expect(text).toContain(`<@${raj.id}>`);
    } finally {
      h.now = DEFAULT_NOW;
    }
  });

  it('a manager with a target of their own sees their numbers below the teams', async () => {
    const view = await openedModal(() => h.command(users.admin, '/target', ''));
    await h.submitView(users.admin, view, fillModal(view, { [T.rep]: users.manager.id, [T.amount]: '2k', [T.first]: '2026-11-01' }));
    const text = await openHome(users.manager);
    expect(text.indexOf('Your teams')).toBeLessThan(text.indexOf('Your numbers'));
    expect(text).toContain('*0.0%* of $2,000.00');
    expect(text).toContain("*3rd of 3* on this month's leaderboard");
  });

  it('an admin: every rep and team of the workspace, reps behind pace, products, and the setup', async () => {
    const text = await openHome(users.admin);
    expect(text).toContain('Leaderboard · Month 2026-11');
    expect(text).toContain('<@U0REP1>  $4,500.00 / $10,000.00 · *45.0%* :red_circle: ▲1');
    expect(text).toContain('<@U0REP2>  $800.00 / $5,000.00 · *16.0%* :red_circle: ▼1');
    expect(text).toContain(
      `*Teams*\n${'*east* · 1st of 2 teams\n$4,500.00 of $10,000.00 · *45.0%* · :red_circle: behind'}\n\n*west* · 2nd of 2 teams\n$800.00 of $5,000.00 · *16.0%* · :red_circle: behind`,
    );
    expect(text).toContain('• <@U0REP2> 16.0% of $5,000.00, $4,200.00 to go');
    expect(text).toContain('*widgets*: $0.00 last week');
    expect(text).toContain('*Sales teams* 2 teams');
    expect(text).toContain('*Targets* 3 targets set');
    expect(text).toContain('Settings');
  });

  it('shows a sale logged in a channel once the person opens it', async () => {
    await h.command(raj, '/logsale', '200 Initech');
    expect(await openHome(raj)).toContain('*$200.00* · 2026-11-26 · Initech');
  });
});

describe('Edit and Void', () => {
  it('Edit changes the amount, the leaderboard follows, and the change is audited', async () => {
    await openHome(users.rep);
    const sale = await saleOf('Globex');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${sale.id}`));
    expect(view.callback_id).toBe('edit_sale');
    const reply = await h.submitView(users.rep, view, fillModal(view, { [L.amount]: '2,500' }));
    expect(reply.body).toBe('');
    expect((await saleOf('Globex')).amount_minor).toBe(250000n);
    expect(replyText((await h.command(users.rep, '/leaderboard', '')).json)).toContain('$5,500.00 / $10,000.00 · *55.0%*');
    const audit = await h.db.selectFrom('audit_log').selectAll().where('action', '=', 'sale.edited').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: users.rep.id, entity_id: String(sale.id) });
    expect(audit[0]!.before).toMatchObject({ amount_minor: '150000' });
    expect(audit[0]!.after).toMatchObject({ amount_minor: '250000' });
  });

  it('refuses bad edits with field errors and changes nothing', async () => {
    const sale = await saleOf('Globex');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${sale.id}`));
    // The product and rep are crafted: the form offers neither (a rep's form has no rep field).
    for (const [values, field, message] of [
      [fillModal(view, { [L.amount]: '-1' }), L.amount, 'negative'],
      [fillModal(view, { [L.closedOn]: '2026-12-31' }), L.closedOn, 'future'],
      [craftChoice(fillModal(view, {}), L.product, 'gizmo'), L.product, 'no product gizmo'],
      [craftChoice(fillModal(view, {}), L.rep, users.rep2.id), L.amount, 'Only admins and managers of *west*'],
    ] as const) {
      const reply = await h.submitView(users.rep, view, values);
      expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [field]: expect.stringContaining(message) } });
    }
    expect((await saleOf('Globex')).amount_minor).toBe(250000n);
  });

  it("refuses a rep editing or voiding another rep's sale, also through a crafted submission", async () => {
    const sale = await saleOf('Hooli');
    const before = h.slack.callsTo('views.open').length;
    await h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${sale.id}`);
    const dm = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === users.rep.id && String(c.args.text).includes("change someone else's sale"),
    );
    expect(dm).toBeDefined();
    expect(h.slack.callsTo('views.open')).toHaveLength(before);
    // The form of a sale the rep may edit, pointed at someone else's sale.
    const own = await saleOf('Acme');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `edit:${own.id}`));
    const crafted = { ...view, private_metadata: JSON.stringify({ channelId: null, saleId: String(sale.id) }) };
    const reply = await h.submitView(users.rep, crafted, fillModal(view, { [L.amount]: '1' }));
    expect(reply.json).toMatchObject({
      response_action: 'errors',
      errors: {
        [L.amount]: expect.stringContaining(
          "Only admins and managers of *west* (<@U0REP2>'s team on 2026-11-26) can change someone else's sale",
        ),
      },
    });
    expect((await saleOf('Hooli')).amount_minor).toBe(80000n);
  });

  it('Void needs a reason and then removes the sale from every total', async () => {
    const sale = await saleOf('Acme');
    const view = await openedModal(() => h.chooseInHome(users.rep, ACTIONS.saleMenu, `void:${sale.id}`));
    const empty = await h.submitView(users.rep, view, fillModal(view, { [V.reason]: '' }));
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { [V.reason]: 'Say why, in a few words.' } });
    expect((await saleOf('Acme')).voided_at).toBeNull();
    expect((await h.submitView(users.rep, view, fillModal(view, { [V.reason]: 'duplicate of a CRM import' }))).body).toBe('');
    const voided = await saleOf('Acme');
    expect(voided).toMatchObject({ voided_by: users.rep.id, void_reason: 'duplicate of a CRM import' });
    expect(replyText((await h.command(users.rep, '/leaderboard', '')).json)).toContain('$2,500.00 / $10,000.00 · *25.0%*');
    expect(replyText((await h.command(users.rep, '/tally', 'me')).json)).toContain('*This month*: $2,500.00 from 1 deal');
    const products = replyText((await h.command(users.manager, '/tally', 'products')).json);
    expect(products).toContain('*widgets* · $0.00 this month, no target');
  });
});

describe('Settings (admins)', () => {
  async function settingsModal(user: TestUser = users.admin) {
    await openHome(user);
    return openedModal(() => h.clickInHome(user, ACTIONS.openSettings, 'open'));
  }

  it('refuses bad values on the right field, a currency change once sales exist, and non-admins', async () => {
    const view = await settingsModal();
    for (const [answers, field, message] of [
      [{ [S.timezone]: 'Mars/Olympus' }, S.timezone, 'IANA timezone'],
      [{ [S.currency]: 'XYZ' }, S.currency, 'ISO 4217'],
      [{ [S.milestones]: '50, lots' }, S.milestones, 'whole percentages'],
      [{ [S.currency]: 'EUR' }, S.currency, "can't change from USD"],
    ] as const) {
      const reply = await h.submitView(users.admin, view, fillModal(view, answers));
      expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [field]: expect.stringContaining(message) } });
    }
    const crafted = await h.submitView(users.manager, view, fillModal(view, { [S.fiscalStart]: 'April' }));
    expect(crafted.json).toMatchObject({
      response_action: 'errors',
      errors: { [S.timezone]: expect.stringContaining('Only workspace admins') },
    });
    expect((await h.db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow()).fiscal_year_start_month).toBe(1);
  });

  it('a fiscal year starting in April makes April the first month of Q1', async () => {
    h.now = new Date('2026-04-15T16:00:00Z');
    expect(replyText((await h.command(users.rep, '/leaderboard', 'quarter')).json)).toContain('Quarter FY2026-Q2 (Apr 1 – Jun 30)');
    const view = await settingsModal();
    expect((await h.submitView(users.admin, view, fillModal(view, { [S.fiscalStart]: 'April' }))).body).toBe('');
    expect(replyText((await h.command(users.rep, '/leaderboard', 'quarter')).json)).toContain('Quarter FY2027-Q1 (Apr 1 – Jun 30)');
    expect(replyText((await h.command(users.rep, '/leaderboard', 'year')).json)).toContain('Year FY2027 (Apr 1 – Mar 31)');
    h.now = new Date('2026-11-26T20:00:00Z');
  });

  it('closing periods stops logging, editing and voiding sales on or before the date', async () => {
    const view = await settingsModal();
    expect((await h.submitView(users.admin, view, fillModal(view, { [S.lockedThrough]: '2026-11-21' }))).body).toBe('');
    const refused = replyText((await h.command(users.rep2, '/logsale', '100 Late Co 2026-11-21')).json);
    expect(refused).toContain('Sales closed on or before 2026-11-21 are locked');
    expect(refused).toContain('A workspace admin can unlock it');
    expect(await h.db.selectFrom('sales').selectAll().where('customer', '=', 'Late Co').execute()).toHaveLength(0);
    expect(replyText((await h.command(users.rep2, '/logsale', '100 Fine Co 2026-11-22')).json)).toContain('Logged');
  });
});

describe('team standing when members join or leave in the middle of the month', () => {
  it("counts each rep's sales while a member, as the team's /leaderboard does", async () => {
    await h.command(users.admin, '/tally', `teams west add ${mention(newcomer)} from 2026-11-24`);
    await h.command(users.admin, '/tally', `teams west remove ${mention(raj)} from 2026-11-25`);
    for (const text of ['300 Early Co 2026-11-23', '700 Late Co 2026-11-25'])
      expect(replyText((await h.command(newcomer, '/logsale', text)).json)).toContain('Logged');
    // West this month: raj's $100.00 of Nov 22 (his $1,000.00 of Nov 26 is after he left), nina's $700.00 of Nov 25.
    const home = await openHome(newcomer);
    expect(home).toContain('*west* · 2nd of 2 teams\n$800.00 so far · no target');
    const board = replyText((await h.command(newcomer, '/leaderboard', 'west')).json);
    expect(board).toContain('Total $800.00 (2 deals)');
  });
});

describe('a manager whose teams ended', () => {
  it('is told they manage no team today, and sees no board of a team they no longer manage', async () => {
    expect(replyText((await h.command(users.admin, '/tally', `teams east managers remove ${mention(users.manager)}`)).json)).toContain(
      'no longer manages *east*',
    );
    const text = await openHome(users.manager);
    expect(text).toContain('You manage no sales team today. An admin gives you one with `/tally teams NAME managers add @you`.');
    for (const absent of ['*east*', '*west*', `<@${rita.id}>`, 'Behind pace']) expect(text).not.toContain(absent);
  });
});
