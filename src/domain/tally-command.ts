// The /tally sub-commands, parsed from the command text. Pure.

export type TallyCommand =
  | { kind: 'help' }
  | { kind: 'me' }
  | { kind: 'products.list' }
  | { kind: 'products.add'; name: string }
  | { kind: 'managers.list' }
  | { kind: 'managers.set'; grant: boolean; userIds: string[] }
  | { kind: 'unknown'; text: string };

/** Slack escapes a picked user as `<@U123ABC|name>` or `<@U123ABC>`. */
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

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
      const userIds = rest.map((word) => USER_MENTION.exec(word)?.[1]);
      if ((action === 'add' || action === 'remove') && userIds.length > 0 && userIds.every(Boolean)) {
        return { kind: 'managers.set', grant: action === 'add', userIds: userIds as string[] };
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
