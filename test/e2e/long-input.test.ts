// Every command and /tally subcommand given a 10,000-character argument (with characters that
// grow when escaped): each reply fits Slack's Block Kit limits and the fake Slack shows it,
// whatever the reply echoes of the input is cut with "…", and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS, validateMessageBlocks } from '../../slack-standin/block-kit-limits.js';
import { CHANNEL, Harness, users, type TestUser } from '../support/harness.js';

let h: Harness;
// 10,000 characters; escaped for Slack (&amp; &lt; &gt;) it would be 25,000.
const LONG = `${'Acme<&>'.repeat(1428)}Acme`;
const mention = (u: TestUser) => `<@${u.id}|${u.name}>`;

beforeAll(async () => {
  h = await Harness.start();
  await h.command(users.admin, '/tally', `managers add ${mention(users.manager)}`);
  await h.command(users.manager, '/tally', 'teams add east');
});
afterAll(() => h.stop());

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const salesCount = async () => (await h.db.selectFrom('sales').select('id').execute()).length;

const commands: Array<[string, string]> = [
  ['/logsale', LONG],
  ['/logsale', `1200 ${LONG}`],
  ['/logsale', `1200 Acme #${LONG}`],
  ['/target', LONG],
  ['/leaderboard', LONG],
  ['/leaderboard', `month ${LONG}`],
  ['/tally', LONG],
  ['/tally', `help ${LONG}`],
  ['/tally', `me ${LONG}`],
  ['/tally', `teams ${LONG}`],
  ['/tally', `teams add ${LONG}`],
  ['/tally', `teams ${LONG} add <@U0REP1|rita>`],
  ['/tally', `teams east add ${LONG}`],
  ['/tally', `products ${LONG}`],
  ['/tally', `products add ${LONG}`],
  ['/tally', `managers ${LONG}`],
  ['/tally', `managers add ${LONG}`],
  ['/tally', `digest ${LONG}`],
  ['/tally', `digest here ${LONG}`],
  ['/tally', `digest here weekly east ${LONG}`],
  ['/tally', `digest here at ${LONG}`],
  ['/tally', `digest here on ${LONG}`],
  ['/tally', `digest preview ${LONG}`],
  ['/tally', `digest send ${LONG}`],
  ['/tally', `audit ${LONG}`],
  ['/tally', `fx ${LONG}`],
  ['/tally', `fx EUR ${LONG}`],
  ['/tally', `fx EUR 1.1 ${LONG}`],
  ['/tally', `import ${LONG}`],
  ['/tally', `export ${LONG}`],
  ['/tally', `settings ${LONG}`],
];

describe('a 10,000-character argument', () => {
  const cases = commands.map(([command, text]) => ({ command, text, shown: `${command} ${text.replace(LONG, '<10,000 chars>')}` }));
  it.each(cases)('$shown gets a reply Slack accepts, and stores nothing', async ({ command, text }) => {
    h.slack.reset();
    const reply = await h.command(users.manager, command, text);

    expect(reply.status).toBe(200);
    // The answer is the ack's body, or (after an early ack) what came through the response_url.
    const acked = reply.json as { text?: string; blocks?: unknown } | undefined;
    if (acked) expect(() => h.slack.showCommandReply(CHANNEL, users.manager.id, acked)).not.toThrow();
    else
      await waitUntil(
        () => h.responsesTo(users.manager).length > 0 || h.slack.callsTo('views.open').length > 0,
        'a reply through the response_url or a modal',
      );
    const answers = [
      ...(acked ? [acked] : []),
      ...h.responsesTo(users.manager).map((response) => response.body as { text?: string; blocks?: unknown }),
    ];
    const opened = h.slack.callsTo('views.open').filter((call) => call.status === 200);
    expect(answers.length + opened.length, 'a reply or a modal').toBeGreaterThan(0);
    for (const answer of answers) {
      expect(answer.text, 'the reply says something').toBeTruthy();
      expect(validateMessageBlocks(answer.blocks)).toEqual([]);
      expect(answer.text!.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.sectionText);
      // What it shows of the input is escaped, and cut with "…".
      expect(answer.text).not.toContain('Acme<&>');
      if (answer.text!.includes('Acme&lt;')) expect(answer.text).toContain('…');
    }
    expect(h.slack.calls.filter((call) => call.status !== 200 || call.error !== undefined)).toEqual([]);
    expect(await salesCount()).toBe(0);
  });
});
