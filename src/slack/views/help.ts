import { escapeSlackText } from '../../domain/slack-text.js';
import { section, context, header, type SlackMessage } from './blocks.js';

/** How to name a product when logging: with one from the catalogue, or how to start the catalogue. */
function productExample(products: readonly string[]): string {
  const first = products[0];
  if (first === undefined)
    return 'No products in the catalogue yet: a manager adds one with `/tally products add NAME`, then `#NAME` logs a sale for it.';
  const listed = products.slice(0, 5).map((name) => `\`#${escapeSlackText(name)}\``);
  const more = products.length > 5 ? ` and ${products.length - 5} more (\`/tally products\`)` : '';
  return `Products: ${listed.join(', ')}${more}, e.g. \`/logsale 1200 Acme #${escapeSlackText(first)}\`.`;
}

/** The commands; `products` are the catalogue's names, for a real example. */
export function helpMessage(products: readonly string[]): SlackMessage {
  const commands = [
    '`/logsale 1200 Acme` log a sale. Full form: `/logsale <amount> [CUR] [customer] [#product] [date] [@rep]`. With no text it opens a form.',
    productExample(products),
    "`/tally me [period]` your targets, attainment and pace, and your sales this week, month and quarter; with a period, that period's.",
    '`/leaderboard [period] [team]` who is ahead (default: this month), e.g. `/leaderboard last month east`.',
    '`/target` your targets.',
    '`/tally help` this message.',
  ];
  const managerCommands = [
    '`/target [@rep]` set a target for a rep, a team, a product or the company: one amount, a seasonal plan, or a ramp for a new rep. A quarter or year without a target of its own counts the sum of its monthly targets ("from monthly targets", "2 of 3 months set"); a team without one, the sum of its reps\'.',
    '`/tally teams [period]` list teams with their members, managers and targets; `/tally teams add NAME [#channel]`; `/tally teams NAME add|remove @rep [from YYYY-MM-DD]` changes members from a date on (default today; earlier sales keep counting for the teams they were in).',
    '`/tally teams NAME managers add|remove @user [from YYYY-MM-DD]` who manages a team (admins). A manager with teams acts on their reps only; one never given a team, on everyone.',
    '`/tally products` list the product catalogue; `/tally products add NAME` adds one.',
    '`/logsale 1200 Acme @rep` log a sale for a rep.',
    '`/tally managers` list managers; `/tally managers add|remove @user` (admins).',
    '`/tally digest here [weekly|daily|off] [team] [at HH:MM] [on DAY]` the weekly post in this channel; `/tally digest preview|send`.',
    '`/tally audit [@rep|sale id]` who changed what and when.',
    '`/tally fx` exchange rates; `/tally fx EUR 1.0832 [YYYY-MM-DD]` sets one (admins).',
    '`/tally connect` sales from a CRM (admins): `/tally connect webhook|pipedrive NAME` connects one and shows its URL and credentials once; `/tally connect pipedrive NAME map OWNER_ID @rep`; `/tally connect rotate|remove|log NAME`.',
    '`/tally import` sales from a CSV file (checked first, then imported all at once); `/tally import targets` a grid of targets; `/tally export [period]` sales and attainment as CSV files in your DM.',
  ];
  return {
    text: 'Tally commands',
    blocks: [
      header('Tally: sales targets in Slack'),
      section(commands.map((c) => `• ${c}`).join('\n')),
      section(`*Managers and admins*\n${managerCommands.map((c) => `• ${c}`).join('\n')}`),
      context(
        "Amounts: `1200`, `1,200.50`, `1 200`, `$1200`, `€950`, `12.5k`, `1.2m`. Dates (default today): `yesterday`, `2026-12-01`, `12/01` or `12/01/2026` (in the workspace's date order, set in Settings), `Dec 1`, `1 Dec`, `fri`, `last friday`. A likely duplicate or an unusually large sale asks “Log it anyway?” before it is saved.",
        'Periods: `week`, `month`, `quarter`, `year`, `last month` (and `this`/`last` with each), `2026-10`, `2026-W48`, `2026-Q3` (fiscal), `FY2026`. Open Tally’s Home tab for your dashboard.',
      ),
    ],
  };
}
