// Teams, targets, attainment, pace and the leaderboard, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, TARGET_FIELDS as F } from '../../src/slack/ids.js';
import { blockActionsPayload, interactionBody, type OpenedView } from '../../slack-standin/slack-signer.js';
import { fillModal, type Answer } from '../support/modal-fill.js';
import { Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;

// Eight reps: seven with a monthly target of $10,000, one (r8) without.
const reps: TestUser[] = Array.from({ length: 8 }, (_, i) => ({ id: `U0R${i + 1}`, team: users.rep.team, name: `rep${i + 1}` }));
const [r1, r2, r3, r4, r5, r6, r7, r8] = reps as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;

beforeAll(async () => {
  h = await Harness.start();
  for (const rep of reps) h.slack.addUser({ id: rep.id, team_id: rep.team, name: rep.name });
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
});
afterAll(() => h.stop());

async function openTargetModal(user: TestUser = users.manager) {
  const before = h.slack.callsTo('views.open').length;
  const reply = await h.command(user, '/target', '');
  expect(reply.status).toBe(200);
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  return h.slack.lastModal()!;
}

/**
 * Picks the kind (A rep, A sales team, A product, The whole company) in an open Set target form,
 * as a person does: Slack sends the choice (block_actions, with the view and its hash) and Tally
 * rebuilds the form with views.update. Resolves with the form as it is now.
 */
async function chooseKind(view: OpenedView, kind: string, user: TestUser = users.manager) {
  const values = fillModal(view, { [F.subject]: kind });
  const picked = values[F.subject]![ACTIONS.targetSubjectChanged]!;
  const before = h.slack.callsTo('views.update').length;
  const payload = blockActionsPayload({
    team_id: user.team,
    user_id: user.id,
    actions: [
      { type: 'static_select', action_id: ACTIONS.targetSubjectChanged, block_id: F.subject, selected_option: picked.selected_option },
    ],
    view: { ...view, state: { values } },
  });
  expect((await h.post(interactionBody(payload), 'application/x-www-form-urlencoded')).status).toBe(200);
  await h.slack.waitForCall('views.update', () => h.slack.callsTo('views.update').length > before);
  const update = h.slack.callsTo('views.update')[before]!;
  expect(update.error).toBeUndefined();
  expect(update.args).toMatchObject({ view_id: view.id, hash: view.hash });
  return h.slack.view(view.id)!;
}

/** Opens the form, picks the kind the answers name (if any), fills it in and submits it. */
async function setTarget(answers: Record<string, Answer>, user: TestUser = users.manager) {
  let view = await openTargetModal(user);
  const kind = answers[F.subject];
  if (typeof kind === 'string') view = await chooseKind(view, kind, user);
  return h.submitView(user, view, fillModal(view, answers));
}

const targetCount = async () =>
  Number(
    (
      await h.db
        .selectFrom('targets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('teams', () => {
  it('a manager creates a team with a channel and adds reps; a rep may be in several teams', async () => {
    const created = await h.command(users.manager, '/tally', 'teams add east <#C0EAST|team-east>');
    expect(replyText(created.json)).toContain('Created team *east*');
    await h.command(users.manager, '/tally', 'teams add west');
    const added = await h.command(users.manager, '/tally', `teams east add ${[r1, r2, r3, r4].map(mention).join(' ')}`);
    expect(replyText(added.json)).toContain(`Added <@${r1.id}>, <@${r2.id}>, <@${r3.id}>, <@${r4.id}> to *east*`);
    await h.command(users.manager, '/tally', `teams west add ${[r4, r5, r6, r7, r8].map(mention).join(' ')}`);
    const list = replyText((await h.command(r1, '/tally', 'teams')).json);
    expect(list).toContain('*east* · <#C0EAST>');
    expect(list).toContain(
      '*west*\n<@U0R4> (since 2026-11-26) <@U0R5> (since 2026-11-26) <@U0R6> (since 2026-11-26) <@U0R7> (since 2026-11-26) <@U0R8> (since 2026-11-26)',
    );
  });

  it('refuses a rep creating a team, a duplicate name and an unknown team, storing nothing', async () => {
    expect(replyText((await h.command(r1, '/tally', 'teams add north')).json)).toContain('Only managers and admins can create teams');
    expect(replyText((await h.command(users.manager, '/tally', 'teams add EAST')).json)).toContain('already a team called `EAST`');
    expect(replyText((await h.command(users.manager, '/tally', `teams south add ${mention(r1)}`)).json)).toContain(
      'There is no team `south`',
    );
    expect(replyText((await h.command(users.manager, '/tally', 'teams add two words')).json)).toContain("I don't know");
    const teams = await h.db.selectFrom('sales_teams').select('name').orderBy('name').execute();
    expect(teams.map((t) => t.name)).toEqual(['east', 'west']);
  });
});

describe('the Set target modal', () => {
  it('is refused to a rep, who gets their own targets instead, and a crafted submission stores nothing', async () => {
    const opened = h.slack.callsTo('views.open').length;
    const reply = await h.command(r1, '/target', '');
    expect(replyText(reply.json)).toContain('You have no targets yet');
    expect(h.slack.callsTo('views.open')).toHaveLength(opened);

    const managerView = await openTargetModal();
    const crafted = await h.submitView(r1, managerView, fillModal(managerView, { [F.rep]: r1.id, [F.amount]: '1000000' }));
    expect(crafted.json).toMatchObject({
      response_action: 'errors',
      errors: { [F.amount]: expect.stringContaining('Only managers and admins can set targets') },
    });
    expect(await targetCount()).toBe(0);
  });

  it.each([
    [{ [F.rep]: r1.id, [F.amount]: '' }, F.amount, 'Enter an amount'],
    [{ [F.rep]: r1.id, [F.amount]: '0' }, F.amount, 'zero'],
    [{ [F.rep]: r1.id, [F.amount]: '-500' }, F.amount, 'negative'],
    [{ [F.rep]: r1.id, [F.amount]: 'lots' }, F.amount, 'not an amount'],
    [{ [F.rep]: r1.id, [F.amount]: '10k', [F.first]: '2026-11-01', [F.last]: '2026-10-01' }, F.last, 'before the first'],
    [{ [F.rep]: r1.id, [F.amount]: '10k', [F.ramp]: '25, 150' }, F.ramp, 'percentages from 1 to 100'],
    [{ [F.rep]: null, [F.amount]: '10k' }, F.rep, 'Pick the rep'],
    [{ [F.metric]: 'Deals won', [F.rep]: r1.id, [F.amount]: '2.5' }, F.amount, 'not a number of deals'],
  ])('answers %j with a field error and stores nothing', async (answers, field, message) => {
    const reply = await setTarget(answers);
    const json = reply.json as { response_action: string; errors: Record<string, string> };
    expect(json.response_action).toBe('errors');
    expect(Object.keys(json.errors)).toEqual([field]);
    expect(json.errors[field]).toContain(message);
    expect(await targetCount()).toBe(0);
  });

  it('refuses a crafted team id from outside the workspace', async () => {
    const view = await chooseKind(await openTargetModal(), 'A sales team');
    const values = fillModal(view, { [F.subject]: 'A sales team', [F.amount]: '10k' });
    values[F.team] = {
      [Object.keys(values[F.team]!)[0]!]: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'x' }, value: '999999' },
      } as never,
    };
    const reply = await h.submitView(users.manager, view, values);
    expect(reply.json).toMatchObject({ response_action: 'errors', errors: { [F.team]: 'Pick a team from the list.' } });
    expect(await targetCount()).toBe(0);
  });
});

describe('targets, attainment and the leaderboard', () => {
  beforeAll(async () => {
    // Rep targets: $10,000 a month from October, repeating, for r1..r7.
    for (const rep of [r1, r2, r3, r4, r5, r6, r7]) {
      const reply = await setTarget({ [F.rep]: rep.id, [F.amount]: '10,000', [F.first]: '2026-10-01' });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('');
    }
    // The east team: $60,000 a month set by hand, more than its reps' $40,000.
    expect((await setTarget({ [F.subject]: 'A sales team', [F.team]: 'east', [F.amount]: '60k', [F.first]: '2026-11-01' })).body).toBe('');

    // October: r8 led, r1 made half of the target.
    await h.command(users.manager, '/logsale', `15000 Umbrella 2026-10-12 ${mention(r8)}`);
    await h.command(users.manager, '/logsale', `5000 Acme 2026-10-20 ${mention(r1)}`);
    // November so far.
    const november: Array<[TestUser, string, string?]> = [
      [r1, '12000'],
      [r2, '9000'],
      [r3, '4500'],
      [r3, '4500', 'Umbrella'], // another customer: not a likely duplicate to ask about
      [r4, '8000'],
      [r5, '5000'],
      [r7, '10000'],
      [r8, '15000'],
    ];
    for (const [rep, amount, customer = 'Initech'] of november) {
      const reply = await h.command(users.manager, '/logsale', `${amount} ${customer} 2026-11-10 ${mention(rep)}`);
      expect(replyText(reply.json)).toContain('Logged for');
    }
  });

  it('ranks by % of target with shared ranks, then reps without a target by amount', async () => {
    const reply = await h.command(r6, '/leaderboard', '');
    const text = replyText(reply.json);
    const lines = text.split('\n').filter((l) => /^(:\w+_medal:|\d+\.) /.test(l));
    expect(lines).toEqual([
      // October: r1 first at 50%, r2..r7 shared 2nd at 0%, r8 last (no target).
      ':first_place_medal: <@U0R1>  $12,000.00 / $10,000.00 · *120.0%* :large_green_circle:',
      ':second_place_medal: <@U0R7>  $10,000.00 / $10,000.00 · *100.0%* :large_green_circle:',
      ':third_place_medal: <@U0R2>  $9,000.00 / $10,000.00 · *90.0%* :large_green_circle: ▼1',
      ':third_place_medal: <@U0R3>  $9,000.00 / $10,000.00 · *90.0%* :large_green_circle: ▼1',
      '5. <@U0R4>  $8,000.00 / $10,000.00 · *80.0%* :large_yellow_circle: ▼3',
      '6. <@U0R5>  $5,000.00 / $10,000.00 · *50.0%* :red_circle: ▼4',
      '7. *<@U0R6> (you)*  $0.00 / $10,000.00 · *0.0%* :red_circle: ▼5',
      '8. <@U0R8>  $15,000.00 · no target',
    ]);
    expect(text).toContain('Total $68,000.00 of $70,000.00 targeted (8 deals)');
    console.log(`/leaderboard as rep6, 2026-11-26:\n${text}`);
  });

  it('filters by team, including members with nothing yet', async () => {
    const east = replyText((await h.command(r1, '/leaderboard', 'month east')).json);
    expect(east).toContain('Leaderboard · east · Month 2026-11');
    expect(east).toContain('<@U0R4>');
    expect(east).not.toContain('<@U0R5>');
    const unknown = replyText((await h.command(r1, '/leaderboard', 'month north')).json);
    expect(unknown).toContain('There is no team `north`. Teams: `east`, `west`.');
    expect(replyText((await h.command(r1, '/leaderboard', 'month quarter')).json)).toContain("couldn't read `quarter`");
  });

  it('shows attainment and pace in /tally me and the /logsale confirmation', async () => {
    // Nov 26 15:00 in New York: 616 of the month's 721 hours have passed, so $8,543.69 is expected.
    const me = replyText((await h.command(r4, '/tally', 'me')).json);
    expect(me).toContain(
      '*Month 2026-11 (Nov 1 – Nov 30)* · revenue\n▓▓▓▓▓▓▓▓░░ *80.0%* of $10,000.00 · :large_yellow_circle: on track · $2,000.00 to go ($400.00/day) · likely $9.1K–$9.6K',
    );
    const confirmation = replyText((await h.command(r5, '/logsale', '1000 Hooli')).json);
    expect(confirmation).toContain('*60.0%* of $10,000.00 · :red_circle: behind');
  });

  it('shows a hand-set team target with its gap to the reps’ targets, and a rolled-up one', async () => {
    const teams = replyText((await h.command(users.manager, '/tally', 'teams')).json);
    expect(teams).toContain("Target $60,000.00, set for the team: :warning: $20,000.00 more than its reps' targets ($40,000.00).");
    expect(teams).toContain("Target $40,000.00, the sum of its reps' targets.");
  });

  it('a change from this month on leaves last month as it was, and is audited', async () => {
    expect((await setTarget({ [F.rep]: r1.id, [F.amount]: '20k', [F.first]: '2026-11-15' })).body).toBe('');
    const now = replyText((await h.command(r1, '/leaderboard', '')).json);
    expect(now).toContain('<@U0R1> (you)*  $12,000.00 / $20,000.00 · *60.0%*');

    h.now = new Date('2026-10-31T12:00:00Z');
    const october = replyText((await h.command(r1, '/leaderboard', '')).json);
    h.now = new Date('2026-11-26T20:00:00Z');
    expect(october).toContain('<@U0R1> (you)*  $5,000.00 / $10,000.00 · *50.0%*');

    const audit = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'target')
      .where('entity_id', '=', `rep:${r1.id}:revenue:month`)
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[1]).toMatchObject({ actor_id: users.manager.id, action: 'target.set' });
    expect(audit[1]!.before).toMatchObject({ amount: '1000000' });
    // …and reads as a sentence with names, amounts and the first period it applies to.
    const trail = replyText((await h.command(users.manager, '/tally', `audit ${mention(r1)}`)).json);
    expect(trail).toMatch(/\d\d:\d\d · <@U0MANAGER> set <@U0R1>'s monthly revenue target from \$10,000\.00 to \$20,000\.00 from 2026-11\n/);
    expect(trail).toMatch(/\d\d:\d\d · <@U0MANAGER> set <@U0R1>'s monthly revenue target to \$10,000\.00 from 2026-10\n/);
  });

  it('stores a seasonal plan and a ramp as one target per period', async () => {
    expect((await setTarget({ [F.rep]: r8.id, [F.amount]: '10k\n12k\n15k', [F.first]: '2027-01-01' })).body).toBe('');
    expect((await setTarget({ [F.rep]: r6.id, [F.amount]: '8000', [F.ramp]: '25, 50, 75', [F.first]: '2027-01-01' })).body).toBe('');
    const rows = await h.db
      .selectFrom('targets')
      .select(['subject_id', 'first_period_start', 'last_period_start', 'amount'])
      .where('first_period_start', '>=', '2027-01-01')
      .orderBy('subject_id')
      .orderBy('first_period_start')
      .execute();
    expect(rows).toEqual([
      { subject_id: r6.id, first_period_start: '2027-01-01', last_period_start: '2027-01-01', amount: 200000n },
      { subject_id: r6.id, first_period_start: '2027-02-01', last_period_start: '2027-02-01', amount: 400000n },
      { subject_id: r6.id, first_period_start: '2027-03-01', last_period_start: '2027-03-01', amount: 600000n },
      { subject_id: r6.id, first_period_start: '2027-04-01', last_period_start: null, amount: 800000n },
      { subject_id: r8.id, first_period_start: '2027-01-01', last_period_start: '2027-01-01', amount: 1000000n },
      { subject_id: r8.id, first_period_start: '2027-02-01', last_period_start: '2027-02-01', amount: 1200000n },
      { subject_id: r8.id, first_period_start: '2027-03-01', last_period_start: '2027-03-01', amount: 1500000n },
    ]);
    const trail = replyText((await h.command(users.manager, '/tally', `audit ${mention(r6)}`)).json);
    expect(trail).toContain(
      "<@U0MANAGER> set <@U0R6>'s monthly revenue target from $10,000.00 to $2,000.00 for 2027-01, $4,000.00 for 2027-02, $6,000.00 for 2027-03 and $8,000.00 from 2027-04",
    );
  });

  it('refreshes the modal’s current value when the rep is picked', async () => {
    const view = await openTargetModal();
    const before = h.slack.callsTo('views.update').length;
    const { blockActionsPayload, interactionBody } = await import('../../slack-standin/slack-signer.js');
    const values = fillModal(view, { [F.rep]: r2.id });
    const payload = blockActionsPayload({
      team_id: users.manager.team,
      user_id: users.manager.id,
      actions: [{ type: 'button', action_id: 'target_subject_changed', block_id: F.rep, value: r2.id }],
      view: { ...view, state: { values } } as never,
    });
    await h.post(interactionBody(payload), 'application/x-www-form-urlencoded');
    await h.slack.waitForCall('views.update', () => h.slack.callsTo('views.update').length > before);
    expect(replyText(h.slack.lastCall('views.update')!.args)).toContain(
      `*Now:* <@${r2.id}> · revenue · Month 2026-11 (Nov 1 – Nov 30): $10,000.00 (since 2026-10-01, repeating).`,
    );
  });
});

describe('the Set target form shows the picker of the chosen kind only', () => {
  const inputIds = (view: { blocks?: unknown[] }) =>
    (view.blocks as Array<{ type: string; block_id?: string }>).filter((b) => b.type === 'input').map((b) => b.block_id);
  const pickers = (view: { blocks?: unknown[] }) => inputIds(view).filter((id) => id === F.rep || id === F.team || id === F.product);
  const blockOf = (view: { blocks?: unknown[] }, id: string) =>
    (view.blocks as Array<{ block_id?: string; element?: { options?: Array<{ text: { text: string } }> } }>).find((b) => b.block_id === id);
  const targetsOf = (subjectType: 'product' | 'company') =>
    h.db
      .selectFrom('targets')
      .select(['subject_type', 'subject_id', 'metric', 'period_kind', 'amount'])
      .where('subject_type', '=', subjectType)
      .orderBy('id')
      .execute();

  it('opens with the rep picker; choosing a kind updates the form (with its hash) to that kind’s picker', async () => {
    const opened = await openTargetModal();
    expect(pickers(opened)).toEqual([F.rep]);
    const team = await chooseKind(opened, 'A sales team');
    expect(pickers(team)).toEqual([F.team]);
    expect(blockOf(team, F.team)!.element!.options!.map((o) => o.text.text)).toEqual(['east', 'west']);
    const product = await chooseKind(team, 'A product');
    // No product yet: the form says how to add one instead of an empty list.
    expect(pickers(product)).toEqual([]);
    expect(replyText(blockOf(product, F.product))).toContain('`/tally products add NAME`');
    const company = await chooseKind(product, 'The whole company');
    expect(pickers(company)).toEqual([]);
    expect(inputIds(company)).toEqual([F.subject, F.metric, F.period, F.first, F.amount, F.ramp, F.repeat, F.last]);
    const rep = await chooseKind(company, 'A rep');
    expect(pickers(rep)).toEqual([F.rep]);
  });

  it('saves a product target and a company target from the form of their kind', async () => {
    expect(replyText((await h.command(users.manager, '/tally', 'products add gizmo')).json)).toContain('Added product');
    expect((await setTarget({ [F.subject]: 'A product', [F.product]: 'gizmo', [F.amount]: '25k', [F.first]: '2026-12-01' })).body).toBe('');
    expect(
      (await setTarget({ [F.subject]: 'The whole company', [F.metric]: 'Deals won', [F.amount]: '40', [F.first]: '2026-12-01' })).body,
    ).toBe('');
    const [gizmo] = await h.db.selectFrom('products').select('id').where('name', '=', 'gizmo').execute();
    expect(await targetsOf('product')).toEqual([
      { subject_type: 'product', subject_id: String(gizmo!.id), metric: 'revenue', period_kind: 'month', amount: 2_500_000n },
    ]);
    expect(await targetsOf('company')).toEqual([
      { subject_type: 'company', subject_id: '', metric: 'deals', period_kind: 'month', amount: 40n },
    ]);
  });

  it('a form sent with a kind but without its picker (before the update came) is asked to pick, and saves nothing', async () => {
    const before = await targetCount();
    const view = await openTargetModal();
    const values = fillModal(view, { [F.subject]: 'A sales team', [F.amount]: '10k' });
    delete values[F.rep];
    const reply = await h.submitView(users.manager, view, values);
    expect(reply.json).toEqual({
      response_action: 'errors',
      errors: { [F.subject]: 'Pick the team this target is for: choose the kind again to show the list.' },
    });
    expect(await targetCount()).toBe(before);
  });

  it('a rep choosing a kind in a copied form gets no update', async () => {
    const view = await openTargetModal();
    const before = h.slack.callsTo('views.update').length;
    const values = fillModal(view, { [F.subject]: 'A sales team' });
    const payload = blockActionsPayload({
      team_id: r1.team,
      user_id: r1.id,
      actions: [
        {
          type: 'static_select',
          action_id: ACTIONS.targetSubjectChanged,
          block_id: F.subject,
          selected_option: values[F.subject]![ACTIONS.targetSubjectChanged]!.selected_option,
        },
      ],
      view: { ...view, state: { values } },
    });
    expect((await h.post(interactionBody(payload), 'application/x-www-form-urlencoded')).status).toBe(200);
    const refusal = await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === r1.id);
    expect(replyText(refusal.args)).toContain('Only managers and admins can set targets');
    expect(h.slack.callsTo('views.update')).toHaveLength(before);
  });
});
