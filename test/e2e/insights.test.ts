// Forecasts and suggested targets from real history, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGET_FIELDS as F } from '../../src/slack/ids.js';
import { Harness, replyText, users, type TestUser } from '../support/harness.js';

let h: Harness;
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;
// Eight months of steady 3% monthly growth for rita, March to October 2026.
const HISTORY = Array.from({ length: 8 }, (_, i) => ({
  month: `2026-${String(i + 3).padStart(2, '0')}`,
  amount: Math.round(10_000 * 1.03 ** i),
}));

beforeAll(async () => {
  h = await Harness.start();
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  for (const { month, amount } of HISTORY) await h.command(users.manager, '/logsale', `${amount} Acme ${month}-10 ${mention(users.rep)}`);
  await h.command(users.manager, '/logsale', `6000 Acme 2026-11-10 ${mention(users.rep)}`);
  await h.command(users.manager, '/logsale', `4000 Hooli 2026-10-10 ${mention(users.rep2)}`);
  await h.command(users.manager, '/logsale', `4000 Hooli 2026-11-10 ${mention(users.rep2)}`);
});
afterAll(() => h.stop());

async function modalInfo(text: string) {
  const before = h.slack.callsTo('views.open').length;
  await h.command(users.manager, '/target', text);
  await h.slack.waitForCall('views.open', () => h.slack.callsTo('views.open').length > before);
  const view = h.slack.lastModal()!;
  const info = (view.blocks as Array<{ block_id?: string; elements?: Array<{ text: string }> }>).find((b) => b.block_id === F.info);
  return info!.elements![0]!.text;
}

describe('suggested targets', () => {
  it('suggests next month from the trend of the history, with what it is based on', async () => {
    const info = await modalInfo(mention(users.rep));
    // True next value on the trend: 10,000 x 1.03^9 = 13,047.73 (November is still running).
    expect(info).toContain('*Suggested:* $13,000.00 for the next month. Based on the trend of the last 8 months');
    console.log(`Set target modal, rita:\n${info}`);
  });

  it('says plainly when there is not enough history', async () => {
    const info = await modalInfo(mention(users.rep2));
    expect(info).toContain('Not enough history for a suggestion: 1 month of sales so far, 3 needed.');
  });
});

describe('forecasts', () => {
  it('shows the projection range in /tally me and the leaderboard footer', async () => {
    const view = h.slack.lastModal()!;
    const { fillModal } = await import('../support/modal-fill.js');
    await h.submitView(users.manager, view, fillModal(view, { [F.rep]: users.rep.id, [F.amount]: '13k', [F.first]: '2026-11-01' }));
    const me = replyText((await h.command(users.rep, '/tally', 'me')).json);
    // 616 of November's 721 hours gone: $6,000 so far plus the rest of the month at the
    // 6-month average ($11,296) is $7,646; the spread of those months narrows it to $7.6K–$7.8K.
    expect(me).toContain('*46.2%* of $13,000.00 · :red_circle: behind · $7,000.00 to go ($1,400.00/day) · likely $7.6K–$7.8K');
    const board = replyText((await h.command(users.rep, '/leaderboard', '')).json);
    // The company: rita and raj, $10,000 so far against a 6-month average of about $13,300.
    expect(board).toContain('Total $10,000.00 of $13,000.00 targeted (2 deals) · by the end of the month: likely $11K–$12K');

    console.log(`/tally me, rita:\n${me}`);
  });
});
