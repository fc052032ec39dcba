// `npm run sandbox -- --seed`: the six full months before this one and this month so far of a
// sales team's life, so the leaderboard, pace, suggestions (their trailing average is of the
// last 6 months: a full window) and the digest have something to show. Everything a person would set up goes
// through the app as that person would do it (signed slash commands and modal submissions in
// the stand-in): managers, teams, products, targets, digest subscriptions, recent sales.
// Only the bulk of past sales (hundreds of rows) is written with the store's insertSale.
import { setTimeout as sleep } from 'node:timers/promises';
import { dayjs } from '../src/domain/dayjs.js';
import { ACTIONS, TARGET_FIELDS as T } from '../src/slack/ids.js';
import { listMembersWithRole } from '../src/store/members.js';
import { listProducts } from '../src/store/products.js';
import { insertSale } from '../src/store/sales.js';
import { salesTeamsByName } from '../src/store/teams.js';
import type { RunningTally } from '../src/tally.js';
import type { AppConnection } from '../slack-standin/app-connection.js';
import type { FakeSlack, FakeView } from '../slack-standin/fake-slack.js';
import type { ViewStateValues } from '../slack-standin/slack-signer.js';
import type { SandboxClock } from './clock.js';
import { CHANNELS, WORKSPACE, teamMembers, userByName, usersWithRole, type SandboxUser } from './directory.js';
import { answeredValues } from './shared/view-state.js';

export interface SeedDeps {
  slack: FakeSlack;
  connection: AppConnection;
  tally: RunningTally;
  clock: SandboxClock;
}

export interface SeedSummary {
  sales: number;
  /** The first day of sales and targets: the 1st of the month six months before this one. */
  from: string;
  /** Full months of sales before this one (then this month up to today). */
  fullMonths: number;
  targets: number;
}

/** Full months of past sales the seed writes before the current month. */
export const SEED_FULL_MONTHS = 6;

const PRODUCTS = ['platform', 'analytics', 'onboarding', 'support-plan'] as const;
const CUSTOMERS = [
  'Northwind',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Stark Logistics',
  'Wayne Foods',
  'Hooli',
  'Acme Retail',
  'Vandelay Imports',
  'Soylent Labs',
  'Cyberdyne',
  'Tyrell Freight',
  'Wonka Confections',
  'Oceanic Air',
  'Gringotts Bank',
  'Monarch Media',
  'Pied Piper',
  'Dunder Paper',
  'Blue Sun',
  'Massive Dynamic',
  'Aperture Science',
  'Nakatomi Trading',
];
/** Monthly revenue targets of the reps, in dollars; how each tends to do against it. */
const REP_PLAN: Record<string, { target: number; form: number }> = {
  rita: { target: 40_000, form: 1.12 },
  jonas: { target: 36_000, form: 0.95 },
  mei: { target: 38_000, form: 1.03 },
  sam: { target: 32_000, form: 0.78 },
  diego: { target: 45_000, form: 1.08 },
  aisha: { target: 36_000, form: 0.99 },
  tom: { target: 34_000, form: 0.86 },
  lena: { target: 30_000, form: 1.18 },
};

/** Gives the managers their role, as an admin would: `/tally managers add` (once, on a fresh database). */
export async function grantManagers(deps: SeedDeps): Promise<void> {
  const managers = await listMembersWithRole(deps.tally.deps.db, WORKSPACE.teamId, 'manager');
  if (managers.length > 0) return;
  const [admin] = usersWithRole('admin');
  const names = usersWithRole('manager').map((user) => `@${user.name}`);
  await new Seeder(deps).command(admin!, dm(deps, admin!), `/tally managers add ${names.join(' ')}`);
}

/** Seeds a fresh workspace; returns undefined when it already has teams (seeded before). */
export async function seedSandbox(deps: SeedDeps): Promise<SeedSummary | undefined> {
  const db = deps.tally.deps.db;
  if ((await salesTeamsByName(db, WORKSPACE.teamId)).length > 0) return undefined;
  const seeder = new Seeder(deps);
  const admin = usersWithRole('admin')[0]!;
  const marcus = userByName('marcus');
  const priya = userByName('priya');

  // Teams, their members and targets from the month six months ago on.
  const now = dayjs(deps.clock.now()).tz(WORKSPACE.timezone);
  const firstMonth = now.startOf('month').subtract(SEED_FULL_MONTHS, 'month');
  const from = firstMonth.format('YYYY-MM-DD');
  await seeder.command(marcus, dm(deps, marcus), '/tally teams add east #team-east');
  await seeder.command(priya, dm(deps, priya), '/tally teams add west #team-west');
  await seeder.command(
    marcus,
    dm(deps, marcus),
    `/tally teams east add ${teamMembers('east')
      .filter((u) => u.role === 'rep')
      .map((u) => `@${u.name}`)
      .join(' ')} from ${from}`,
  );
  await seeder.command(
    priya,
    dm(deps, priya),
    `/tally teams west add ${teamMembers('west')
      .filter((u) => u.role === 'rep')
      .map((u) => `@${u.name}`)
      .join(' ')} from ${from}`,
  );
  await seeder.command(admin, dm(deps, admin), `/tally teams east managers add @marcus from ${from}`);
  await seeder.command(admin, dm(deps, admin), `/tally teams west managers add @priya from ${from}`);
  for (const product of PRODUCTS) await seeder.command(admin, dm(deps, admin), `/tally products add ${product}`);

  // Targets, each through the Set target modal.
  let targets = 0;
  for (const rep of usersWithRole('rep')) {
    const manager = rep.team === 'east' ? marcus : priya;
    await seeder.setTarget(manager, { [T.rep]: rep.id, [T.amount]: `${REP_PLAN[rep.name]!.target / 1000}k`, [T.first]: from });
    targets++;
  }
  const teams = await salesTeamsByName(db, WORKSPACE.teamId);
  const east = teams.find((team) => team.name === 'east')!;
  await seeder.setTarget(marcus, { [T.subject]: 'team', [T.team]: String(east.id), [T.amount]: '150k', [T.first]: from });
  await seeder.setTarget(admin, { [T.subject]: 'company', [T.period]: 'week', [T.amount]: '70k', [T.first]: from });
  const products = await listProducts(db, WORKSPACE.teamId);
  const platform = products.find((product) => product.name === 'platform')!;
  await seeder.setTarget(admin, { [T.subject]: 'product', [T.product]: String(platform.id), [T.amount]: '120k', [T.first]: from });
  targets += 3;

  // Past sales, straight into the store: up to yesterday, in the workspace timezone.
  const random = mulberry32(20_261_126);
  const yesterday = now.subtract(1, 'day').startOf('day');
  let sales = 0;
  await db.transaction().execute(async (trx) => {
    for (const rep of usersWithRole('rep')) {
      const plan = REP_PLAN[rep.name]!;
      for (let month = firstMonth; !month.isAfter(yesterday); month = month.add(1, 'month')) {
        const season = 0.85 + 0.3 * Math.sin((month.month() / 12) * 2 * Math.PI + 1);
        const days = Array.from({ length: month.daysInMonth() }, (_, i) => month.date(i + 1)).filter(
          (day) => !day.isAfter(yesterday) && day.day() !== 0 && day.day() !== 6,
        );
        const share = days.length / 21;
        let left = Math.round(plan.target * plan.form * season * (0.85 + random() * 0.3) * Math.min(share, 1));
        while (left > 500 && days.length > 0) {
          const amount = Math.min(left, Math.round((1_500 + random() * 9_000) / 50) * 50);
          const day = days[Math.floor(random() * days.length)]!;
          const product = products[Math.floor(random() * random() * products.length)]!;
          const cents = BigInt(amount) * 100n;
          await insertSale(trx, {
            team_id: WORKSPACE.teamId,
            rep_id: rep.id,
            amount_minor: cents,
            currency: WORKSPACE.currency,
            original_amount_minor: cents,
            original_currency: WORKSPACE.currency,
            closed_on: day.format('YYYY-MM-DD'),
            customer: CUSTOMERS[Math.floor(random() * CUSTOMERS.length)]!,
            product_id: product.id,
            source: 'import',
            idempotency_key: `sandbox-seed:${sales}`,
            created_by: rep.id,
            created_at: now.toDate(),
            updated_at: now.toDate(),
          });
          sales++;
          left -= amount;
        }
      }
    }
  });

  // Today's deals, logged by the reps themselves.
  const today: Array<[string, string]> = [
    ['rita', '/logsale 4,200 Northwind #analytics'],
    ['diego', '/logsale 12.5k Globex #platform'],
    ['lena', '/logsale 3800 Pied Piper #onboarding'],
    ['mei', '/logsale 2950 Initech #support-plan'],
  ];
  for (const [name, text] of today) await seeder.command(userByName(name), CHANNELS.sales.id, text);

  // Digests: the company's in #sales, each team's in its channel; and this week's, posted now.
  await seeder.command(admin, CHANNELS.sales.id, '/tally digest here');
  await seeder.command(marcus, CHANNELS.east.id, '/tally digest here east');
  await seeder.command(priya, CHANNELS.west.id, '/tally digest here west');
  await seeder.postDigestNow(admin, CHANNELS.sales.id);
  await seeder.postDigestNow(marcus, CHANNELS.east.id);
  return { sales: sales + today.length, from, fullMonths: SEED_FULL_MONTHS, targets };
}

const dm = (deps: SeedDeps, user: SandboxUser) => deps.slack.directMessageWith(user.id).id;

/** Does what a person would do in Slack, through the AppConnection, and checks it worked. */
class Seeder {
  constructor(private readonly deps: SeedDeps) {}

  async command(user: SandboxUser, channel: string, text: string): Promise<void> {
    const outcome = await this.deps.connection.command(user.id, channel, text);
    if (!outcome.ok) throw new Error(`seeding: ${user.name} typed ${text}: ${outcome.error}`);
  }

  /** `/target`, then the Set target modal filled in and submitted. */
  async setTarget(manager: SandboxUser, answers: Record<string, string>): Promise<void> {
    let view = await this.openModal(manager, '/target');
    // The form shows the chosen kind's picker only: choose the kind first, as a person does.
    const kind = answers[T.subject];
    if (kind !== undefined && kind !== 'rep') {
      const picked = answeredValues(view.blocks, { [T.subject]: kind }) as ViewStateValues;
      const hash = view.hash;
      const outcome = await this.deps.connection.act(
        manager.id,
        { kind: 'view', viewId: view.id, values: picked },
        {
          type: 'static_select',
          action_id: ACTIONS.targetSubjectChanged,
          block_id: T.subject,
          selected_option: picked[T.subject]![ACTIONS.targetSubjectChanged]!.selected_option,
        },
      );
      if (!outcome.ok) throw new Error(`seeding: choosing ${kind} in the Set target form failed: ${outcome.error}`);
      await this.until(() => this.deps.slack.view(view.id)?.hash !== hash, `the Set target form for a ${kind}`);
      view = this.deps.slack.view(view.id)!;
    }
    // The values hold the modal's own options; Bolt types only plain_text option texts.
    const values = answeredValues(view.blocks, answers) as ViewStateValues;
    const submitted = await this.deps.connection.submitView(manager.id, view.id, values);
    if (!submitted.ok || submitted.errors)
      throw new Error(`seeding: a target was refused: ${submitted.error ?? JSON.stringify(submitted.errors)}`);
  }

  /** `/tally digest send`; posting waits for a chart, so Slack may stop waiting first: wait for the post. */
  async postDigestNow(user: SandboxUser, channel: string): Promise<void> {
    const before = this.deps.slack.messages(channel).length;
    await this.deps.connection.command(user.id, channel, '/tally digest send');
    await this.until(() => this.deps.slack.messages(channel).length > before, `the digest in ${channel}`);
  }

  private async openModal(user: SandboxUser, command: string): Promise<FakeView> {
    const before = this.deps.slack.modalStack(user.id).at(-1)?.id;
    await this.command(user, dm(this.deps, user), command);
    await this.until(() => {
      const top = this.deps.slack.modalStack(user.id).at(-1);
      return top !== undefined && top.id !== before;
    }, `the modal of ${command}`);
    return this.deps.slack.modalStack(user.id).at(-1)!;
  }

  private async until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`seeding: ${what} did not show up within ${timeoutMs / 1000} s`);
      await sleep(20);
    }
  }
}

/** A small seeded random number generator, so every seed is the same. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
