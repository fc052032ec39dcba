// Small builders for the Block Kit pieces Tally's views repeat. Pure.
import type { types } from '@slack/bolt';
import { clipText } from '../../domain/slack-text.js';

export type Block = types.KnownBlock;

/** A message Tally sends: blocks plus the plain-text fallback Slack shows in notifications. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });
export const plainText = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** Slack refuses a section whose text is longer than this. */
export const SECTION_TEXT_MAX = 3000;

/** A section of text; text past Slack's limit is cut with "…" rather than the message refused. */
export const section = (text: string): types.SectionBlock => ({ type: 'section', text: mrkdwn(clipText(text, SECTION_TEXT_MAX)) });
export const context = (...texts: string[]): types.ContextBlock => ({ type: 'context', elements: texts.map(mrkdwn) });
export const header = (text: string): types.HeaderBlock => ({ type: 'header', text: plainText(text) });
export const divider = (): types.DividerBlock => ({ type: 'divider' });

export function button(
  text: string,
  actionId: string,
  value: string,
  options: { style?: 'primary' | 'danger'; confirm?: types.ConfirmationDialog } = {},
): types.Button {
  return { type: 'button', text: plainText(text), action_id: actionId, value, ...options };
}

/** An ephemeral reply: only the person who typed the command sees it. */
export function ephemeral(message: SlackMessage | string): SlackMessage & { response_type: 'ephemeral' } {
  const body = typeof message === 'string' ? { text: message, blocks: [section(message)] } : message;
  return { response_type: 'ephemeral', ...body };
}

/**
 * A modal's private_metadata: what its submission needs (`fields`), and `from: 'home'` when a
 * button in App Home opened it, so that submitting it refreshes that page (forms.ts openedFromHome).
 */
export function modalMetadata(fields: Record<string, string | null>, fromHome: boolean): string {
  return JSON.stringify(fromHome ? { ...fields, from: 'home' } : fields);
}
