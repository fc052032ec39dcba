// The /tally sub-commands, parsed from the command text. Pure.
import { periodPhraseLength } from './period-arg.js';
import { parseClockTime, parseWeekday } from './schedule.js';
import { escapeSlackText, quoteInput } from './slack-text.js';

export type TallyCommand =
  | { kind: 'help' }
  | { kind: 'me'; period: string | null }
  | { kind: 'products.list' }
  | { kind: 'products.add'; name: string }
  | { kind: 'managers.list' }
  | { kind: 'managers.set'; grant: boolean; userIds: string[] }
  | { kind: 'teams.list'; period: string | null }
  | { kind: 'teams.add'; name: string; channelId: string | null }
  | { kind: 'teams.members'; team: string; add: boolean; userIds: string[]; from: string | null }
  | { kind: 'teams.managers'; team: string; add: boolean; userIds: string[]; from: string | null }
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
  | { kind: 'connect.list' }
  | { kind: 'connect.add'; source: 'webhook' | 'pipedrive'; name: string }
  | { kind: 'connect.rotate' | 'connect.remove' | 'connect.log'; name: string }
  | { kind: 'connect.map'; name: string; ownerId: string; userId: string }
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
      return { kind: 'me', period: periodText(words.slice(1)) };
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
      if (second === undefined) return { kind: 'teams.list', period: null };
      if (periodPhraseLength(words, 1) === words.length - 1) return { kind: 'teams.list', period: periodText(words.slice(1)) };
      if (second.toLowerCase() === 'add' && (rest.length === 1 || rest.length === 2)) {
        const channelId = rest[1] === undefined ? null : (CHANNEL_MENTION.exec(rest[1])?.[1] ?? undefined);
        if (channelId !== undefined) return { kind: 'teams.add', name: rest[0]!, channelId };
      }
      return parseTeamPeople(second, rest, text);
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
      return {
        kind: 'invalid',
        error: 'Try `/tally import` to import sales from a CSV file, or `/tally import targets` for a grid of targets.',
      };
    }
    case 'export':
      return { kind: 'export', period: periodText(words.slice(1)) };
    case 'connect':
      return parseConnect(second, rest);
    default:
      return { kind: 'unknown', text };
  }
}

/** The words naming a period (checked by period-arg.ts where the clock is known), or null for none. */
function periodText(words: readonly string[]): string | null {
  return words.length === 0 ? null : words.join(' ');
}

const TEAM_USAGE =
  'Try `/tally teams east add @rep`, `/tally teams east remove @rep 2026-12-15` (from that day on; default today), or `/tally teams east managers add @user from 2027-01-01`.';

/** `NAME [managers] add|remove @a @b [from] [YYYY-MM-DD|today]`. */
function parseTeamPeople(team: string, words: readonly string[], text: string): TallyCommand {
  const managers = words[0]?.toLowerCase() === 'managers' || words[0]?.toLowerCase() === 'manager';
  const [action, ...rest] = managers ? words.slice(1) : words;
  const verb = action?.toLowerCase();
  if (verb !== 'add' && verb !== 'remove') return managers ? { kind: 'invalid', error: TEAM_USAGE } : { kind: 'unknown', text };
  const leading = rest.findIndex((word) => !USER_MENTION.test(word));
  const userIds = mentionedUsers(rest.slice(0, leading === -1 ? rest.length : leading));
  if (!userIds) return { kind: 'invalid', error: `Name the people with @, picked from the list so Slack links them. ${TEAM_USAGE}` };
  const tail = rest.slice(userIds.length);
  if (tail[0]?.toLowerCase() === 'from') tail.shift();
  if (tail.length > 1 || (tail.length === 0 && rest.length > userIds.length))
    return { kind: 'invalid', error: `After the people, give the first day it applies to, like \`2026-12-15\`. ${TEAM_USAGE}` };
  const date = tail[0];
  if (date !== undefined && date.toLowerCase() !== 'today' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return { kind: 'invalid', error: `\`${escapeSlackText(date)}\` is not a date: write it as YYYY-MM-DD. ${TEAM_USAGE}` };
  }
  const from = date === undefined || date.toLowerCase() === 'today' ? null : date;
  return { kind: managers ? 'teams.managers' : 'teams.members', team, add: verb === 'add', userIds, from };
}

export const CONNECT_USAGE =
  'Try `/tally connect` for the sources, `/tally connect webhook NAME` or `/tally connect pipedrive NAME` to connect one, ' +
  '`/tally connect pipedrive NAME map OWNER_ID @rep`, or `/tally connect rotate|remove|log NAME`.';

function parseConnect(action: string | undefined, rest: readonly string[]): TallyCommand {
  const verb = action?.toLowerCase();
  const [name, ...more] = rest;
  if (verb === undefined || verb === 'list')
    return rest.length === 0 ? { kind: 'connect.list' } : { kind: 'invalid', error: CONNECT_USAGE };
  if (name === undefined) return { kind: 'invalid', error: CONNECT_USAGE };
  if ((verb === 'webhook' || verb === 'pipedrive') && more.length === 0) return { kind: 'connect.add', source: verb, name };
  if (verb === 'pipedrive' && more[0]?.toLowerCase() === 'map' && more.length === 3) {
    const userId = USER_MENTION.exec(more[2]!)?.[1];
    if (!userId)
      return { kind: 'invalid', error: `Name the rep with an @mention: \`/tally connect pipedrive ${name} map ${more[1]} @rep\`.` };
    return { kind: 'connect.map', name, ownerId: more[1]!, userId };
  }
  if ((verb === 'rotate' || verb === 'remove' || verb === 'log') && more.length === 0) return { kind: `connect.${verb}`, name };
  return { kind: 'invalid', error: CONNECT_USAGE };
}

const DIGEST_USAGE =
  'Try `/tally digest here`, `/tally digest here weekly east at 09:00 on monday`, `/tally digest here daily at 17:30`, `/tally digest here off`, `/tally digest preview` or `/tally digest send`.';

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
  if (cadence === 'daily' && weekday !== null)
    return { kind: 'digest.invalid', error: `A daily digest has no day: leave out \`on\`. ${DIGEST_USAGE}` };
  return { kind: 'digest.here', cadence: cadence ?? 'weekly', team, time, weekday };
}

const FX_USAGE =
  'Try `/tally fx` for the rates, or `/tally fx EUR 1.0832` (1 EUR = 1.0832 of the workspace currency from today) or `/tally fx EUR 1.0832 2026-11-01`.';

function parseFx(currency: string | undefined, rest: readonly string[]): TallyCommand {
  if (currency === undefined) return { kind: 'fx.list' };
  const [rate, date, extra] = rest;
  if (!/^[A-Za-z]{3}$/.test(currency) || rate === undefined || extra !== undefined) return { kind: 'invalid', error: FX_USAGE };
  if (!/^\d{1,9}(\.\d{1,10})?$/.test(rate))
    return { kind: 'invalid', error: `\`${quoteInput(rate)}\` is not a rate: write it as a decimal like 1.0832. ${FX_USAGE}` };
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))
    return { kind: 'invalid', error: `\`${quoteInput(date)}\` is not a date: write it as YYYY-MM-DD. ${FX_USAGE}` };
  return { kind: 'fx.set', currency: currency.toUpperCase(), rate, date: date ?? null };
}

function parseAudit(target: string | undefined, rest: readonly string[]): TallyCommand {
  if (rest.length > 0) return { kind: 'invalid', error: 'Try `/tally audit`, `/tally audit @rep` or `/tally audit 42` (a sale id).' };
  if (target === undefined) return { kind: 'audit', userId: null, saleId: null };
  const userId = USER_MENTION.exec(target)?.[1];
  if (userId) return { kind: 'audit', userId, saleId: null };
  const saleId = /^#?(\d{1,18})$/.exec(target)?.[1];
  if (saleId) return { kind: 'audit', userId: null, saleId };
  return {
    kind: 'invalid',
    error: 'Try `/tally audit`, `/tally audit @rep` (pick the person so Slack links them) or `/tally audit 42` (a sale id).',
  };
}

export function unknownTallyCommandMessage(text: string): string {
  return `I don't know \`/tally ${text.trim()}\`. Try \`/tally help\` for the list, \`/tally me\` for your numbers, or \`/tally managers add @user\` (pick the person so Slack links them).`;
}
