// The /tally sub-commands, parsed from the command text. Pure.

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
  | { kind: 'unknown'; text: string };

/** Slack escapes a picked user as `<@U123ABC|name>` or `<@U123ABC>`. */
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
/** ... and a channel as `<#C123ABC|name>` or `<#C123ABC>`. */
const CHANNEL_MENTION = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/;

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
    default:
      return { kind: 'unknown', text };
  }
}

export function unknownTallyCommandMessage(text: string): string {
  return `I don't know \`/tally ${text.trim()}\`. Try \`/tally help\` for the list, \`/tally me\` for your numbers, or \`/tally managers add @user\` (pick the person so Slack links them).`;
}
