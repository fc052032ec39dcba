// One truth for every number: a seeded team, then every surface asked about the same rep or
// team and period, each surface's numbers parsed from what it shows, compared with each other
// and with exact expected values.
//
// The seed has what makes numbers drift apart: monthly targets only (so quarters are derived),
// a rep who joins the team in the middle of the month (his sales before that day count for no
// team), and a sale that crossed 100% and was undone (it counts nowhere, its celebration is
// taken back). To extend: seed more in beforeAll, adjust EXPECTED, and add a reader to
// `surfaces` for a new surface; every check below compares all readers at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, TARGET_FIELDS as F } from '../../src/slack/ids.js';
import { fillModal } from '../support/modal-fill.js';
import { CHANNEL, Harness, replyText, TEAM, users, type TestUser, waitFor } from '../support/harness.js';

let h: Harness;
const rita = users.rep;
const raj = users.rep2;
const rosa: TestUser = { id: 'U0REP3', team: users.rep.team, name: 'rosa' };
const otto: TestUser = { id: 'U0REP4', team: users.rep.team, name: 'otto' };
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
const EAST = 'C0EAST';

// The clock: Thursday 2026-11-26 15:00 in New York (the harness default). November there
// lasts 721 hours (the clocks went back on the 1st), 616 of them gone; FY2026-Q4 (Oct-Dec)
// lasts 2209 hours, 1360 gone.
const NOW = new Date('2026-11-26T20:00:00Z');

/** What a surface says about one subject in one period. Absent fields: the surface does not show them. */
interface Figures {
  actual?: string;
  target?: string;
  percent?: string;
  pace?: string;
  projection?: string;
  derived?: string;
}

// Monthly targets: rita $10,000 and raj $8,000 from October, rosa $6,000 from November (so
// her quarter has 2 of 3 months set). otto has no target, and joins east on November 12.
// Sales: October rita 6,000, raj 9,000, otto 2,000 (before he joined: no team's); November
// rita 2,000 + 5,000 (logged last, today), raj 3,000 + 4,000, rosa 4,500, otto 1,000 (on the
// 12th: east's). Today rita also logged 9,000 for "Oops Co", crossing 100%, and undid it.
const EXPECTED = {
  ritaMonth: {
    actual: '$7,000.00',
    target: '$10,000.00',
    percent: '70.0',
    // expected by now 10,000 x 616/721 = 8,543.69; 7,000 is below 90% of it
    pace: 'behind',
    // 7,000 + 105/721 x max(October's 6,000, 7,000) = 8,019.42, ± 20% x 105/721 of it
    projection: 'likely $7.8K–$8.3K',
  },
  ritaQuarter: {
    actual: '$13,000.00',
    target: '$30,000.00',
    percent: '43.3',
    pace: 'behind',
    // no earlier quarter: the run-rate 13,000 x 2209/1360 = 21,115.44, ± 20% x 849/2209 of it
    projection: 'likely $19K–$23K',
    derived: 'from monthly targets',
  },
  rosaQuarter: {
    actual: '$4,500.00',
    target: '$12,000.00',
    percent: '37.5',
    pace: 'behind',
    derived: 'from monthly targets, 2 of 3 months set',
  },
  eastMonth: {
    // rita 7,000 + raj 7,000 + rosa 4,500 + otto's 1,000 of the 12th, when he was a member
    actual: '$19,500.00',
    // the sum of its reps' targets: 10,000 + 8,000 + 6,000 (otto has none)
    target: '$24,000.00',
    // 19,500 / 24,000 = 81.25%
    percent: '81.3',
    // expected 20,504.85; 19,500 is at least 90% of it
    pace: 'on track',
    // 19,500 + 105/721 x max(October's 15,000, 19,500) = 22,339.81, ± 20% x 105/721 of it:
    // 21,689.14 to 22,990.48
    projection: 'likely $22K–$23K',
  },
  eastQuarter: {
    // 33,500 of rita, raj and rosa, and otto's 1,000 of November (not his 2,000 of October)
    actual: '$34,500.00',
    // 30,000 + 24,000 + rosa's 12,000 (November and December only)
    target: '$66,000.00',
    // 34,500 / 66,000 = 52.27%
    percent: '52.3',
    // expected 66,000 x 1360/2209 = 40,633.77; 34,500 is below 90% of it
    pace: 'behind',
    // no earlier quarter: the run-rate 34,500 x 2209/1360 = 56,036.76, ± 20% x 849/2209 of it:
    // 51,729.36 to 60,344.16
    projection: 'likely $52K–$60K',
  },
} satisfies Record<string, Figures>;

beforeAll(async () => {
  h = await Harness.start({ now: NOW });
  for (const rep of [rosa, otto]) h.slack.addUser({ id: rep.id, team_id: rep.team, name: rep.name });
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  h.slack.addChannel({ id: EAST, name: 'team-east', team_id: rita.team, members: [rita.id, raj.id, rosa.id, otto.id, users.manager.id] });
  await h.command(users.manager, '/tally', `teams add east <#${EAST}|team-east>`);
  await h.command(users.manager, '/tally', `teams east add ${[rita, raj, rosa].map(mention).join(' ')} from 2026-01-01`);
  for (const [rep, amount, first] of [
    [rita, '10,000', '2026-10-01'],
    [raj, '8,000', '2026-10-01'],
    [rosa, '6,000', '2026-11-01'],
  ] as const) {
    const before = h.slack.callsTo('views.open').length;
    await h.command(users.manager, '/target', '');
    await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
    const view = h.slack.lastModal()!;
    expect((await h.submitView(users.manager, view, fillModal(view, { [F.rep]: rep.id, [F.amount]: amount, [F.first]: first }))).body).toBe(
      '',
    );
  }
  // The history is typed in as it happened; a rep's first big deal would ask "Log it anyway?".
  await h.db.updateTable('workspaces').set({ guard_rails_enabled: false, updated_at: h.now }).where('team_id', '=', TEAM).execute();
  for (const [rep, text] of [
    [rita, '6000 Initech 2026-10-15'],
    [raj, '9000 Globex 2026-10-20'],
    [otto, '2000 Hooli 2026-10-10'],
    [rita, '2000 Acme 2026-11-03'],
    [raj, '3000 Umbrella 2026-11-05'],
    [rosa, '4500 Stark 2026-11-10'],
    [otto, '1000 Wayne 2026-11-12'],
    [raj, '4000 Soylent 2026-11-24'],
  ] as const) {
    expect(replyText((await h.command(users.manager, '/logsale', `${text} ${mention(rep)}`)).json)).toContain('Logged');
  }
  // otto joins east in the middle of the month: from then on his sales are east's, not before.
  expect(replyText((await h.command(users.manager, '/tally', `teams east add ${mention(otto)} from 2026-11-12`)).json)).toContain('Added');
  // A sale that takes rita across 100% (2,000 + 9,000 of 10,000), celebrated, then undone.
  expect(replyText((await h.command(rita, '/logsale', '9000 Oops Co')).json)).toContain('Logged');
  await waitFor(() => h.slack.messages(EAST).find((m) => m.text.includes('just reached 100%')));
  const oops = await h.db.selectFrom('sales').select('id').where('customer', '=', 'Oops Co').executeTakeFirstOrThrow();
  await h.clickButton(rita, ACTIONS.undoSale, String(oops.id));
  await waitFor(() => h.slack.messages(EAST).find((m) => m.text.startsWith('Withdrawn:')));
});
afterAll(() => h.stop());

// ---- reading each surface -------------------------------------------------------------------

const MONEY = String.raw`\$[\d,]+\.\d\d`;

/** `▓▓▓░░░░░░░ *70.0%* of $10,000.00 · :red_circle: behind · $3,000.00 to go ($600.00/day) · likely $7.8K–$8.3K` */
function progressFigures(line: string): Figures {
  const match = new RegExp(
    String.raw`\*([\d.]+)%\* of (${MONEY}) · :\w+: ([a-z ]+) · (?:(${MONEY}) to go[^·]*|target reached :tada:) · (likely [^\n]+)`,
  ).exec(line);
  if (!match) throw new Error(`no progress line in: ${line}`);
  const [, percent, target, pace, toGo, projection] = match as unknown as [string, string, string, string, string | undefined, string];
  const cents = (money: string) => BigInt(money.replace(/[$,.]/g, ''));
  const actual = toGo === undefined ? undefined : cents(target) - cents(toGo);
  return { percent, target, pace, projection, ...(actual === undefined ? {} : { actual: dollars(actual) }) };
}

function dollars(cents: bigint): string {
  return `$${(cents / 100n).toLocaleString('en-US')}.${String(cents % 100n).padStart(2, '0')}`;
}

/** A rep's section of /tally me, App Home or the /logsale reply: `*Month 2026-11 (…)* · revenue · _derived_\n<progress>`. */
function repSection(text: string, kind: 'Month' | 'Quarter'): Figures {
  const match = new RegExp(String.raw`\*${kind} [^*]+\* · revenue(?: · _([^_]+)_)?\n([^\n]+)`).exec(text);
  if (!match) throw new Error(`no ${kind} section in: ${text}`);
  return { ...progressFigures(match[2]!), ...(match[1] ? { derived: match[1] } : {}) };
}

/** A rep's row of a leaderboard: `<@U…>  $7,000.00 / $10,000.00 _(2 of 3 months set)_ · *70.0%* :red_circle:`. */
function leaderboardFigures(text: string, rep: TestUser): Figures {
  const match = new RegExp(
    String.raw`<@${rep.id}>(?: \(you\))?\*?\s+(${MONEY}) / (${MONEY})(?: _\((\d+) of (\d+) months set\)_)? · \*([\d.]+)%\* :(\w+):`,
  ).exec(text);
  if (!match) throw new Error(`no row of ${rep.id} in: ${text}`);
  const pace = { large_green_circle: 'ahead', large_yellow_circle: 'on track', red_circle: 'behind' }[match[6]!];
  return { actual: match[1]!, target: match[2]!, percent: match[5]!, ...(pace ? { pace } : {}) };
}

/** The totals line of a team's leaderboard: `Total $18,500.00 of $24,000.00 targeted (5 deals) · by the end of the month: likely …`. */
function boardTotals(text: string): Figures {
  const match = new RegExp(
    String.raw`Total (${MONEY}) of (${MONEY}) targeted \(\d+ deals?\)(?: · by the end of the \w+: (likely [^\n]+?))?(?:\n|$)`,
  ).exec(text);
  if (!match) throw new Error(`no totals in: ${text}`);
  return { actual: match[1]!, target: match[2]!, ...(match[3] ? { projection: match[3] } : {}) };
}

/** The team's block of /tally teams: its target line, then its progress line. */
function teamsFigures(text: string, team: string): Figures {
  const match = new RegExp(String.raw`\*${team}\*[^\n]*\n[^\n]*\nTarget (${MONEY}),[^\n]*\n([^\n]+)`).exec(text);
  if (!match) throw new Error(`no team ${team} in: ${text}`);
  return { ...progressFigures(match[2]!), target: match[1]! };
}

/** The digest's pace of a team: `*east*\nMonth: <progress>\nQuarter (from monthly targets): <progress>`. */
function digestPace(text: string, team: string, label: 'Month' | 'Quarter'): Figures {
  const block = new RegExp(String.raw`\*${team}\*\nMonth(?: \([^)]+\))?: ([^\n]+)\nQuarter(?: \([^)]+\))?: ([^\n]+)`).exec(text);
  if (!block) throw new Error(`no pace of ${team} in: ${text}`);
  return progressFigures(label === 'Month' ? block[1]! : block[2]!);
}

/** A rep's row of attainment-<period>.csv: rep,rep_name,rep_email,target,actual,percent,pace (names here hold no comma). */
function exportFigures(csv: string, rep: TestUser): Figures {
  const row = csv.split('\r\n').find((line) => line.startsWith(`${rep.id},`));
  if (!row) throw new Error(`no row of ${rep.id} in: ${csv}`);
  const [, , , target, actual, percent, pace] = row.split(',') as [string, string, string, string, string, string, string];
  const money = (major: string) => dollars(BigInt(major.replace('.', '')));
  return { target: money(target), actual: money(actual), percent, pace };
}

/** The fields of `expected` that a surface shows. */
function shown(figures: Figures, expected: Figures): Figures {
  return Object.fromEntries(
    Object.keys(figures)
      .filter((k) => k in expected)
      .map((k) => [k, expected[k as keyof Figures]]),
  );
}

/** The App Home a person sees once they open it (a sale logged elsewhere publishes no page: it is built on opening). */
async function openedHome(user: TestUser) {
  const publishes = () => h.slack.callsTo('views.publish').filter((call) => call.args.user_id === user.id).length;
  const before = publishes();
  await h.openHome(user);
  await waitFor(() => (publishes() > before ? true : undefined));
  return h.slack.homeView(user.id)!;
}

async function exported(period: string): Promise<string> {
  const before = h.slack.files.length;
  await h.command(users.manager, '/tally', `export ${period}`);
  const file = () => h.slack.files.slice(before).find((f) => f.filename.startsWith('attainment-') && f.bytes !== undefined);
  return (await waitFor(file)).bytes!.toString('utf8');
}

// ---- the surfaces, side by side -------------------------------------------------------------

describe('every surface gives the same numbers for the same rep or team and period', () => {
  const surfaces: Record<string, string> = {};

  beforeAll(async () => {
    const logged = await h.command(rita, '/logsale', '5000 Acme');
    surfaces.logsale = replyText(logged.json);
    surfaces.me = replyText((await h.command(rita, '/tally', 'me')).json);
    surfaces.home = replyText((await openedHome(rita)).blocks);
    surfaces.leaderboard = replyText((await h.command(rita, '/leaderboard', '')).json);
    surfaces.leaderboardQuarter = replyText((await h.command(rita, '/leaderboard', 'quarter')).json);
    surfaces.leaderboardEast = replyText((await h.command(rita, '/leaderboard', 'east')).json);
    surfaces.leaderboardEastQuarter = replyText((await h.command(rita, '/leaderboard', 'quarter east')).json);
    surfaces.teams = replyText((await h.command(users.manager, '/tally', 'teams')).json);
    surfaces.digest = replyText((await h.command(users.manager, '/tally', 'digest preview')).json);
    surfaces.exportMonth = await exported('month');
    surfaces.exportQuarter = await exported('quarter');
  });

  it('rita this month: /logsale reply, /tally me, App Home, /leaderboard, the digest and the export', () => {
    const said = {
      logsale: repSection(surfaces.logsale!, 'Month'),
      me: repSection(surfaces.me!, 'Month'),
      home: repSection(surfaces.home!, 'Month'),
      leaderboard: leaderboardFigures(surfaces.leaderboard!, rita),
      leaderboardEast: leaderboardFigures(surfaces.leaderboardEast!, rita),
      digestMonthBoard: leaderboardFigures(surfaces.digest!.split('(Nov 1 – Nov 30) so far*')[1]!, rita),
      export: exportFigures(surfaces.exportMonth!, rita),
    };
    for (const [surface, figures] of Object.entries(said))
      expect({ surface, ...figures }).toEqual({ surface, ...shown(figures, EXPECTED.ritaMonth) });
    // Every field is shown somewhere, and the totals agree with the progress lines.
    expect(Object.keys(said.logsale).sort()).toEqual(['actual', 'pace', 'percent', 'projection', 'target']);
    expect(surfaces.logsale).toContain('This month: *$7,000.00* (2 deals)');
    expect(surfaces.me).toContain('*This month*: $7,000.00 from 2 deals');
  });

  it('rita this quarter: her target is the sum of her monthly targets, said so, on every surface', () => {
    const said = {
      logsale: repSection(surfaces.logsale!, 'Quarter'),
      me: repSection(surfaces.me!, 'Quarter'),
      home: repSection(surfaces.home!, 'Quarter'),
      leaderboard: leaderboardFigures(surfaces.leaderboardQuarter!, rita),
      export: exportFigures(surfaces.exportQuarter!, rita),
    };
    for (const [surface, figures] of Object.entries(said))
      expect({ surface, ...figures }).toEqual({ surface, ...shown(figures, EXPECTED.ritaQuarter) });
    expect(surfaces.leaderboardQuarter).toContain('Quarter targets from monthly targets.');
    expect(surfaces.leaderboardQuarter).not.toMatch(new RegExp(`<@(${rita.id}|${raj.id}|${rosa.id})>[^\n]*no target`));
  });

  it('rosa this quarter: 2 of 3 months set', () => {
    expect(leaderboardFigures(surfaces.leaderboardQuarter!, rosa)).toEqual(
      shown(leaderboardFigures(surfaces.leaderboardQuarter!, rosa), EXPECTED.rosaQuarter),
    );
    expect(surfaces.leaderboardQuarter).toContain(`<@${rosa.id}>  $4,500.00 / $12,000.00 _(2 of 3 months set)_ · *37.5%*`);
    expect(exportFigures(surfaces.exportQuarter!, rosa)).toEqual(shown(exportFigures(surfaces.exportQuarter!, rosa), EXPECTED.rosaQuarter));
  });

  it('team east this month: /tally teams, /leaderboard east and the digest', () => {
    const said = {
      teams: teamsFigures(surfaces.teams!, 'east'),
      leaderboardEast: boardTotals(surfaces.leaderboardEast!),
      digest: digestPace(surfaces.digest!, 'east', 'Month'),
    };
    for (const [surface, figures] of Object.entries(said))
      expect({ surface, ...figures }).toEqual({ surface, ...shown(figures, EXPECTED.eastMonth) });
    expect(surfaces.teams).toContain("Target $24,000.00, the sum of its reps' targets.");
    expect(surfaces.teams).not.toContain('projected');
  });

  it('team east this quarter: /leaderboard quarter east and the digest, from monthly targets', () => {
    const said = {
      leaderboardEast: boardTotals(surfaces.leaderboardEastQuarter!),
      digest: digestPace(surfaces.digest!, 'east', 'Quarter'),
    };
    for (const [surface, figures] of Object.entries(said))
      expect({ surface, ...figures }).toEqual({ surface, ...shown(figures, EXPECTED.eastQuarter) });
    // Both give the same projection, whatever it reads.
    expect(said.digest.projection).toBe(said.leaderboardEast.projection);
    expect(surfaces.digest).not.toContain('No target');
    expect(surfaces.digest).toMatch(/\nQuarter \(from monthly targets, not every month set\): [▓░]/);
  });

  it('a rep without a target has none anywhere; his sales count for east from the day he joined', () => {
    expect(surfaces.leaderboard).toMatch(new RegExp(`<@${otto.id}>\\s+\\$1,000\\.00 · no target`));
    expect(surfaces.exportMonth).toContain(`${otto.id},otto,,,1000.00,,`);
    expect(surfaces.leaderboardEast).toMatch(new RegExp(`<@${otto.id}>\\s+\\$1,000\\.00 · no target`));
    // October was before he joined: east's quarter has his 1,000 of November only.
    expect(boardTotals(surfaces.leaderboardEastQuarter!).actual).toBe('$34,500.00');
  });

  it('the undone sale counts nowhere, and its celebration was taken back in place', async () => {
    const east = h.slack.messages(EAST);
    const withdrawn = east.find((m) => m.text.startsWith('Withdrawn:'))!;
    expect(withdrawn.text).toBe(`Withdrawn: <@${rita.id}> is no longer at 100% of their month target for Month 2026-11 (Nov 1 – Nov 30).`);
    // The same message, edited: no second one about 100%.
    expect(east.filter((m) => m.text.includes('100%'))).toEqual([withdrawn]);
    const oops = await h.db
      .selectFrom('sales')
      .select(['voided_at', 'voided_by'])
      .where('customer', '=', 'Oops Co')
      .executeTakeFirstOrThrow();
    expect(oops).toEqual({ voided_at: NOW, voided_by: rita.id });
    // Every surface above reads 7,000 for rita's month: the 9,000 is in none of them.
    for (const text of [surfaces.logsale!, surfaces.me!, surfaces.home!, surfaces.leaderboard!]) expect(text).not.toContain('$16,000.00');
  });

  it('/tally help says how quarter, year and team targets are derived', async () => {
    expect(replyText((await h.command(rita, '/tally', 'help')).json)).toContain(
      'A quarter or year without a target of its own counts the sum of its monthly targets',
    );
  });

  it('a wrong period or team is refused and changes nothing', async () => {
    const targets = await h.db.selectFrom('targets').select('id').execute();
    expect(replyText((await h.command(rita, '/leaderboard', 'quarter north')).json)).toContain('There is no team `north`');
    expect(replyText((await h.command(rita, '/tally', 'export quarter')).json)).toContain('Only managers and admins can export sales');
    expect(await h.db.selectFrom('targets').select('id').execute()).toEqual(targets);
  });
});

describe("the digest's weeks", () => {
  const digestPosts = () =>
    h.slack.messages(CHANNEL).filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'tally_digest');

  it('in the middle of a week: last week is the last complete one in every block, and this week so far is said as such', async () => {
    h.now = NOW; // Thursday of 2026-W48
    const preview = replyText((await h.command(users.manager, '/tally', 'digest preview')).json);
    expect(preview).toContain('Weekly digest · Week 2026-W47 (Nov 16 – Nov 22)');
    expect(preview).toContain('*Last week:* $0.00 from 0 deals.');
    expect(preview).toContain('*Leaderboard, last week*\n_No sales yet._');
    expect(preview).toContain('*This week so far* (Week 2026-W48 (Nov 23 – Nov 29)): $9,000.00 from 2 deals.');
    expect(preview).toContain('Posted by Tally for Week 2026-W47 (Nov 16 – Nov 22)');
    expect(preview).not.toContain('Week 2026-W48 (Nov 23 – Nov 29) ·');

    await h.command(users.manager, '/tally', 'digest here');
    expect(replyText((await h.command(users.manager, '/tally', 'digest send')).json)).toContain('Posting the digest in this channel now');
    const sent = replyText(await waitFor(() => digestPosts().at(-1)));
    expect(sent).toContain('Weekly digest · Week 2026-W47 (Nov 16 – Nov 22)');
    expect(sent).toContain('*This week so far* (Week 2026-W48 (Nov 23 – Nov 29)): $9,000.00 from 2 deals.');
  });

  it('on the Monday slot: last week is the week that just ended, with no week so far', async () => {
    h.now = new Date('2026-11-30T14:00:00Z'); // Monday 09:00 in New York
    const preview = replyText((await h.command(users.manager, '/tally', 'digest preview')).json);
    expect(preview).toContain('Weekly digest · Week 2026-W48 (Nov 23 – Nov 29)');
    expect(preview).toContain('*Last week:* $9,000.00 from 2 deals.');
    expect(preview).toContain(`:trophy: *Top performer:* <@${rita.id}> with $5,000.00 last week.`);
    expect(preview).not.toContain('This week so far');
    h.now = NOW;
  });

  it('is refused to a rep, who gets no digest', async () => {
    const before = digestPosts().length;
    expect(replyText((await h.command(rita, '/tally', 'digest preview')).json)).toContain(
      'Only managers and admins can preview the digest',
    );
    expect(replyText((await h.command(rita, '/tally', 'digest send')).json)).toContain('Only managers and admins can post the digest');
    expect(digestPosts()).toHaveLength(before);
  });
});
