// The /tally sub-commands, parsed from the command text. Pure.
import { parseClockTime, parseWeekday } from './schedule.js';
import { quoteInput } from './slack-text.js';

export type TallyCommand =
  | { kind: 'help' }
  | { kind: 'me' }
  | { kind: 'products.list' }
  | { kind: 'products.add'; name: string }
  | { kind: 'managers.list' }
  | { kind: 'managers.set'; grant: boolean; userIds: string[] }
  | { kind: 'teams.list' }
  | { kind: 'teams.add'; name: string; channelId: string | null }
  | { kind: 'teams.members'; team: string; add: boolean; userIds: string[] }
  | { kind: 'digest.list' }
  | { kind: 'digest.here'; cadence: 'weekly' | 'daily' | 'off'; team: string | null; time: string | null; weekday: number | null }
  | { kind: 'digest.preview' }
  | { kind: 'digest.send' }
  | { kind: 'digest.invalid'; error: string }
  | { kind: 'fx.list' }
  | { kind: 'fx.set'; currency: string; rate: string; date: string | null }
  | { kind: 'audit'; userId: string | null; saleId: string | null }
  | { kind: 'import'; what: 'sales' | 'targets' }
  | { kind: 'export'; period: string | null }
  | { kind: 'invalid'; error: string }
  | { kind: 'unknown'; text: string };

/** Slack escapes a picked user as `<@U123ABC|name>` or `<@U123ABC>`. */
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
/** ... and a channel as `<#C123ABC|name>` or `<#C123ABC>`. */
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;

/** A team named through a channel reference keeps its name part. */
const CHANNEL_NAME = /^<#[CG][A-Z0-9]+\|([^>]+)>$/;

function mentionedUsers(words: readonly string[]): string[] | null {
  const ids = words.map((word) => USER_MENTION.exec(word)?.[1]);
  return ids.length > 0 && ids.every(Boolean) ? (ids as string[]) : null;
}

export function parseTallyCommand(text: string): TallyCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = 'help', second, ...rest] = words;
  switch (first.toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'me':
      return { kind: 'me' };
    case 'products':
    case 'product':
      if (second === undefined) return { kind: 'products.list' };
      if (second.toLowerCase() === 'add' && rest.length > 0) return { kind: 'products.add', name: rest.join(' ') };
      return { kind: 'unknown', text };
    case 'managers':
    case 'manager': {
      if (second === undefined) return { kind: 'managers.list' };
      const action = second.toLowerCase();
      const userIds = mentionedUsers(rest);
      if ((action === 'add' || action === 'remove') && userIds) return { kind: 'managers.set', grant: action === 'add', userIds };
      return { kind: 'unknown', text };
    }
    case 'teams':
    case 'team': {
      if (second === undefined) return { kind: 'teams.list' };
      if (second.toLowerCase() === 'add' && (rest.length === 1 || rest.length === 2)) {
        const channelId = rest[1] === undefined ? null : (CHANNEL_MENTION.exec(rest[1])?.[1] ?? undefined);
        if (channelId !== undefined) return { kind: 'teams.add', name: rest[0]!, channelId };
      }
      const [action, ...people] = rest;
      const userIds = mentionedUsers(people);
      if ((action?.toLowerCase() === 'add' || action?.toLowerCase() === 'remove') && userIds) {
        return { kind: 'teams.members', team: second, add: action.toLowerCase() === 'add', userIds };
      }
      return { kind: 'unknown', text };
    }
    case 'digest':
      return parseDigest(second, rest);
    case 'fx':
      return parseFx(second, rest);
    case 'audit':
      return parseAudit(second, rest);
    case 'import': {
      const what = second === undefined ? 'sales' : { sales: 'sales', targets: 'targets', target: 'targets' }[second.toLowerCase()];
      if (what === 'sales' || what === 'targets') if (rest.length === 0) return { kind: 'import', what };
      return { kind: 'invalid', error: 'Try `/tally import` to import sales from a CSV file, or `/tally import targets` for a grid of targets.' };
    }
    case 'export':
      if (rest.length === 0) return { kind: 'export', period: second ?? null };
      return { kind: 'invalid', error: 'Try `/tally export` (this month), `/tally export quarter`, or a period such as `/tally export 2026-11` or `/tally export FY2027-Q1`.' };
    default:
      return { kind: 'unknown', text };
  }
}

const DIGEST_USAGE = 'Try `/tally digest here`, `/tally digest here weekly east at 09:00 on monday`, `/tally digest here daily at 17:30`, `/tally digest here off`, `/tally digest preview` or `/tally digest send`.';

function parseDigest(action: string | undefined, words: readonly string[]): TallyCommand {
  switch (action?.toLowerCase()) {
    case undefined:
    case 'list':
      return { kind: 'digest.list' };
    case 'preview':
      return { kind: 'digest.preview' };
    case 'send':
      return { kind: 'digest.send' };
    case 'here':
      break;
    default:
      return { kind: 'digest.invalid', error: `I don't know \`/tally digest ${quoteInput(action ?? '')}\`. ${DIGEST_USAGE}` };
  }
  let cadence: 'weekly' | 'daily' | 'off' | null = null;
  let team: string | null = null;
  let time: string | null = null;
  let weekday: number | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const lower = word.toLowerCase();
    if ((lower === 'weekly' || lower === 'daily' || lower === 'off') && cadence === null) cadence = lower;
    else if (lower === 'at' && time === null) {
      time = parseClockTime(words[++i] ?? '');
      if (time === null) return { kind: 'digest.invalid', error: `After \`at\`, give a time of day like 09:00 or 17:30. ${DIGEST_USAGE}` };
    } else if (lower === 'on' && weekday === null) {
      weekday = parseWeekday(words[++i] ?? '');
      if (weekday === null) return { kind: 'digest.invalid', error: `After \`on\`, give a day like monday or fri. ${DIGEST_USAGE}` };
    } else if (team === null) team = CHANNEL_NAME.exec(word)?.[1] ?? word.replace(/^#/, '');
    else return { kind: 'digest.invalid', error: `I couldn't read \`${quoteInput(word)}\`. ${DIGEST_USAGE}` };
  }
  if (cadence === 'daily' && weekday !== null) return { kind: 'digest.invalid', error: `A daily digest has no day: leave out \`on\`. ${DIGEST_USAGE}` };
  return { kind: 'digest.here', cadence: cadence ?? 'weekly', team, time, weekday };
}

const FX_USAGE = 'Try `/tally fx` for the rates, or `/tally fx EUR 1.0832` (1 EUR = 1.0832 of the workspace currency from today) or `/tally fx EUR 1.0832 2026-11-01`.';

function parseFx(currency: string | undefined, rest: readonly string[]): TallyCommand {
  if (currency === undefined) return { kind: 'fx.list' };
  const [rate, date, extra] = rest;
  if (!/^[A-Za-z]{3}$/.test(currency) || rate === undefined || extra !== undefined) return { kind: 'invalid', error: FX_USAGE };
  if (!/^\d{1,9}(\.\d{1,10})?$/.test(rate)) return { kind: 'invalid', error: `\`${quoteInput(rate)}\` is not a rate: write it as a decimal like 1.0832. ${FX_USAGE}` };
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return { kind: 'invalid', error: `\`${quoteInput(date)}\` is not a date: write it as YYYY-MM-DD. ${FX_USAGE}` };
  return { kind: 'fx.set', currency: currency.toUpperCase(), rate, date: date ?? null };
}

function parseAudit(target: string | undefined, rest: readonly string[]): TallyCommand {
  if (rest.length > 0) return { kind: 'invalid', error: 'Try `/tally audit`, `/tally audit @rep` or `/tally audit 42` (a sale id).' };
  if (target === undefined) return { kind: 'audit', userId: null, saleId: null };
  const userId = USER_MENTION.exec(target)?.[1];
  if (userId) return { kind: 'audit', userId, saleId: null };
  const saleId = /^#?(\d{1,18})$/.exec(target)?.[1];
  if (saleId) return { kind: 'audit', userId: null, saleId };
  return { kind: 'invalid', error: 'Try `/tally audit`, `/tally audit @rep` (pick the person so Slack links them) or `/tally audit 42` (a sale id).' };
}

export function unknownTallyCommandMessage(text: string): string {
  return `I don't know \`/tally ${text.trim()}\`. Try \`/tally help\` for the list, \`/tally me\` for your numbers, or \`/tally managers add @user\` (pick the person so Slack links them).`;
}
