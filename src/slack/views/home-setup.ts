// The small forms behind App Home's setup buttons: add a sales team, add a product, choose a
// digest channel. Each does what its command does (`/tally teams add`, `/tally products add`,
// `/tally digest here`) through the same service. Pure.
import type { types } from '@slack/bolt';
import { SETUP_FIELDS as F, VIEWS } from '../ids.js';
import { modalMetadata, plainText } from './blocks.js';

// `fromHome`: opened from a button in App Home, so submitting it refreshes that page.
const base = (callbackId: string, title: string, submit: string, fromHome: boolean) => ({
  type: 'modal' as const,
  callback_id: callbackId,
  private_metadata: modalMetadata({}, fromHome),
  title: plainText(title),
  submit: plainText(submit),
  close: plainText('Cancel'),
});

const channelSelect = (actionId: string): types.ConversationsSelect => ({
  type: 'conversations_select',
  action_id: actionId,
  placeholder: plainText('Choose a channel'),
  filter: { include: ['public', 'private'], exclude_bot_users: true, exclude_external_shared_channels: true },
});

export function addTeamModal(fromHome = false): types.ModalView {
  return {
    ...base(VIEWS.addTeam, 'Add a sales team', 'Add team', fromHome),
    blocks: [
      {
        type: 'input',
        block_id: F.teamName,
        label: plainText('Team name'),
        hint: plainText(
          'One word of letters, digits, - _ or ., like east or mid-market. Add reps afterwards with /tally teams NAME add @rep.',
        ),
        element: { type: 'plain_text_input', action_id: F.teamName, max_length: 40, placeholder: plainText('east') },
      },
      {
        type: 'input',
        block_id: F.teamChannel,
        optional: true,
        label: plainText("Team's channel"),
        hint: plainText("Where the team's celebrations are posted. Invite Tally to it with /invite @Tally."),
        element: channelSelect(F.teamChannel),
      },
    ],
  };
}

export function addProductModal(fromHome = false): types.ModalView {
  return {
    ...base(VIEWS.addProduct, 'Add a product', 'Add product', fromHome),
    blocks: [
      {
        type: 'input',
        block_id: F.productName,
        label: plainText('Product name'),
        hint: plainText('One word of letters, digits, - _ or ., like widgets or pro-plan. A sale names it as #widgets.'),
        element: { type: 'plain_text_input', action_id: F.productName, max_length: 50, placeholder: plainText('widgets') },
      },
    ],
  };
}

const CADENCES = {
  weekly: { text: plainText('Every Monday at 09:00'), value: 'weekly' },
  daily: { text: plainText('Every day at 09:00'), value: 'daily' },
} as const;

export function digestChannelModal(timezone: string, fromHome = false): types.ModalView {
  return {
    ...base(VIEWS.digestChannel, 'Digest channel', 'Post it there', fromHome),
    blocks: [
      {
        type: 'input',
        block_id: F.digestChannel,
        label: plainText('Channel'),
        hint: plainText('The sales digest of the whole company is posted there. Invite Tally to the channel with /invite @Tally.'),
        element: channelSelect(F.digestChannel),
      },
      {
        type: 'input',
        block_id: F.digestCadence,
        label: plainText('How often'),
        hint: plainText(`Times are in ${timezone}. Another day or time, or a team's digest: /tally digest here in the channel.`),
        element: {
          type: 'static_select',
          action_id: F.digestCadence,
          options: [CADENCES.weekly, CADENCES.daily],
          initial_option: CADENCES.weekly,
        },
      },
    ],
  };
}
