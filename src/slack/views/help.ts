import { section, context, header, type SlackMessage } from './blocks.js';

export function helpMessage(): SlackMessage {
  const commands = [
    '`/logsale 1200 Acme` log a sale. Full form: `/logsale <amount> [CUR] [customer] [#product] [YYYY-MM-DD|today|yesterday] [@rep]`. With no text it opens a form.',
    '`/tally me` your targets, attainment and pace, and your sales this week, month and quarter.',
    '`/leaderboard [week|month|quarter|year] [team]` who is ahead (default: this month).',
    '`/target` your targets.',
    '`/tally help` this message.',
  ];
  const managerCommands = [
    '`/target [@rep]` set a target for a rep, a team, a product or the company: one amount, a seasonal plan, or a ramp for a new rep.',
    '`/tally teams` list teams with their targets; `/tally teams add NAME [#channel]`; `/tally teams NAME add|remove @rep`.',
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
      context('Amounts: `1200`, `1,200.50`, `$1200`, `€950`, `12.5k`, `1.2m`. Dates default to today in the workspace timezone. Open Tally’s Home tab for your dashboard.'),
    ],
  };
}
