import { escapeSlackText } from '../../domain/slack-text.js';
import { section, type SlackMessage } from './blocks.js';

const MAX_SHOWN = 40;

export function productListMessage(names: readonly string[]): SlackMessage {
  const text =
    names.length === 0
      ? 'The product catalogue is empty. A manager can add products with `/tally products add NAME`.'
      : `*Products* (${names.length}): ${names
          .slice(0, MAX_SHOWN)
          .map((n) => `\`${escapeSlackText(n)}\``)
          .join(
            ', ',
          )}${names.length > MAX_SHOWN ? ` _and ${names.length - MAX_SHOWN} more_` : ''}\nLog a sale for one with \`/logsale 1200 Acme #${escapeSlackText(names[0]!)}\`.`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}

export function managerListMessage(ids: readonly string[]): SlackMessage {
  const text =
    ids.length === 0
      ? 'No managers yet. An admin can grant the role with `/tally managers add @user`.'
      : `*Managers*: ${ids.map((id) => `<@${id}>`).join(', ')}`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}
