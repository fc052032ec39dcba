// Every Slack identifier Tally uses: slash commands, callback ids, action ids, block ids.
// Listeners, views and tests import them from here, so a rename happens in one place.

export const COMMANDS = {
  logsale: '/logsale',
  target: '/target',
  leaderboard: '/leaderboard',
  tally: '/tally',
} as const;

/**
 * The bot scopes Tally asks for (manifest.yml declares the same): commands and messages,
 * users.info for roles, history to find a digest already posted, files for the digest chart
 * and CSV import/export, emails to map CSV rows to people, DMs for exports and notices.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'users:read',
  'users:read.email',
  'channels:history',
  'groups:history',
  'files:read',
  'files:write',
  'im:write',
] as const;

export const VIEWS = {
  logSale: 'log_sale',
  setTarget: 'set_target',
  editSale: 'edit_sale',
  voidSale: 'void_sale',
  settings: 'settings',
  /** The CSV import modal (sales or targets, in its private_metadata). */
  importFile: 'import_file',
  /** App Home's setup: small forms for what an admin has not set up yet. */
  addTeam: 'add_team',
  addProduct: 'add_product',
  digestChannel: 'digest_channel',
} as const;

export const ACTIONS = {
  undoSale: 'undo_sale',
  openLogSale: 'open_log_sale',
  openSetTarget: 'open_set_target',
  openSettings: 'open_settings',
  /** The overflow menu of a sale in App Home: values `edit:<id>` and `void:<id>`. */
  saleMenu: 'sale_menu',
  /** Any change of who / metric / period in the Set target modal refreshes its info line. */
  targetSubjectChanged: 'target_subject_changed',
  /** "Import N sales" in a checked import's report; the value is the import id. */
  commitImport: 'commit_import',
  /** "Log it" / "Cancel" under the guard rails' "Log it anyway?"; the value is the sale (pending-sale.ts). */
  confirmSale: 'confirm_sale',
  cancelSale: 'cancel_sale',
  /** App Home's setup buttons: each opens the small form of the same name in VIEWS. */
  openAddTeam: 'open_add_team',
  openAddProduct: 'open_add_product',
  openDigestChannel: 'open_digest_channel',
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

/** Block ids of the void and settings modals; each input's action id is the same string. */
export const VOID_FIELDS = { reason: 'void_reason' } as const;
/** Block id of the import modal's file input; its action id is the same string. */
export const IMPORT_FIELDS = { file: 'import_file' } as const;
export const SETTINGS_FIELDS = {
  timezone: 'settings_timezone',
  currency: 'settings_currency',
  fiscalStart: 'settings_fiscal_start',
  milestones: 'settings_milestones',
  celebrations: 'settings_celebrations',
  lockedThrough: 'settings_locked_through',
  dateOrder: 'settings_date_order',
  guardRails: 'settings_guard_rails',
} as const;

/** Block ids of App Home's setup forms (add a team, add a product, choose a digest channel); each input's action id is the same string. */
export const SETUP_FIELDS = {
  teamName: 'setup_team_name',
  teamChannel: 'setup_team_channel',
  productName: 'setup_product_name',
  digestChannel: 'setup_digest_channel',
  digestCadence: 'setup_digest_cadence',
} as const;

/** Block ids of the "Set target" modal; each input's action id is the same string. */
export const TARGET_FIELDS = {
  info: 'target_info',
  subject: 'target_subject',
  rep: 'target_rep',
  team: 'target_team',
  product: 'target_product',
  metric: 'target_metric',
  period: 'target_period',
  first: 'target_first',
  amount: 'target_amount',
  ramp: 'target_ramp',
  repeat: 'target_repeat',
  last: 'target_last',
} as const;

/** Metadata event type attached to scheduled digests (docs/rules.md#digests). */
export const DIGEST_EVENT_TYPE = 'tally_digest';
