// Every Slack identifier Tally uses: slash commands, callback ids, action ids, block ids.
// Listeners, views and tests import them from here, so a rename happens in one place.

export const COMMANDS = {
  logsale: '/logsale',
  tally: '/tally',
} as const;

export const VIEWS = {
  logSale: 'log_sale',
} as const;

export const ACTIONS = {
  undoSale: 'undo_sale',
  openLogSale: 'open_log_sale',
} as const;

/** block_id / action_id pairs of the "Log a sale" modal; the block id is also the zod key. */
export const LOG_SALE_FIELDS = {
  amount: 'amount',
  currency: 'currency',
  customer: 'customer',
  product: 'product',
  closedOn: 'closed_on',
  rep: 'rep',
  note: 'note',
} as const;

/** Metadata event type attached to scheduled digests (SPEC 4). */
export const DIGEST_EVENT_TYPE = 'tally_digest';
