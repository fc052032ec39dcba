// The typed shape of Tally's tables. int8 columns are parsed to bigint (see open.ts),
// dates to 'YYYY-MM-DD' strings, numeric to decimal strings: money never passes through a float.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Written with the time of the injected clock, never a database default: tests and replays run at any instant.
type CreatedAt = ColumnType<Date, Date | string, never>;
type UpdatedAt = ColumnType<Date, Date | string, Date | string>;
/** A local calendar date in the workspace timezone, 'YYYY-MM-DD'. */
type LocalDate = string;

export type Role = 'admin' | 'manager' | 'rep';
export type SaleSource = 'command' | 'modal' | 'import' | 'api';

export interface WorkspacesTable {
  team_id: string;
  name: string | null;
  timezone: string;
  currency: string;
  fiscal_year_start_month: ColumnType<number, number | undefined, number>;
  locked_through: LocalDate | null;
  celebrations_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** Percentages of a target that are celebrated when a rep reaches them. */
  milestones: ColumnType<number[], number[] | undefined, number[]>;
  /** How a typed `12/01` reads: month/day or day/month; null: by the currency (see typed-date.ts). */
  date_order: ColumnType<'mdy' | 'dmy' | null, 'mdy' | 'dmy' | null | undefined, 'mdy' | 'dmy' | null>;
  /** Ask before logging a likely duplicate or an unusually large sale. */
  guard_rails_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** Goes up on every change of the row (a trigger): what a cached copy is checked against. */
  version: ColumnType<number, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MembersTable {
  team_id: string;
  user_id: string;
  role: ColumnType<Role, Role | undefined, Role>;
  name: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ProductsTable {
  id: Generated<bigint>;
  team_id: string;
  name: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface SalesTable {
  id: Generated<bigint>;
  team_id: string;
  rep_id: string;
  amount_minor: bigint;
  currency: string;
  original_amount_minor: bigint;
  original_currency: string;
  fx_rate: string | null;
  closed_on: LocalDate;
  customer: string | null;
  product_id: bigint | null;
  note: string | null;
  source: SaleSource;
  idempotency_key: string;
  voided_at: Date | null;
  voided_by: string | null;
  void_reason: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AuditLogTable {
  id: Generated<bigint>;
  team_id: string;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  at: CreatedAt;
}

export type TargetSubject = 'rep' | 'team' | 'product' | 'company';
export type TargetMetric = 'revenue' | 'deals';
export type TargetPeriodKind = 'week' | 'month' | 'quarter' | 'year';

export interface SalesTeamsTable {
  id: Generated<bigint>;
  team_id: string;
  name: string;
  channel_id: string | null;
  created_by: string;
  created_at: CreatedAt;
}

/** One stint of a rep in a sales team: [valid_from, valid_to) in local dates; null ends are open. */
export interface SalesTeamMembersTable {
  id: Generated<bigint>;
  team_id: string;
  sales_team_id: bigint;
  user_id: string;
  added_at: CreatedAt;
  valid_from: LocalDate | null;
  valid_to: LocalDate | null;
}

/** One stint of a manager managing a sales team, dated like a membership. */
export interface SalesTeamManagersTable {
  id: Generated<bigint>;
  team_id: string;
  sales_team_id: bigint;
  user_id: string;
  valid_from: LocalDate | null;
  valid_to: LocalDate | null;
}

export interface TargetsTable {
  id: Generated<bigint>;
  team_id: string;
  subject_type: TargetSubject;
  /** Slack user id (rep), sales team id (team), product id (product), '' (company). */
  subject_id: string;
  metric: TargetMetric;
  period_kind: TargetPeriodKind;
  first_period_start: LocalDate;
  /** Start of the last period it applies to; null: repeats until changed. */
  last_period_start: LocalDate | null;
  /** Minor units of the workspace currency (revenue) or a number of deals. */
  amount: bigint;
  created_by: string;
  created_at: CreatedAt;
}

export type DigestRunStatus = 'claimed' | 'posted' | 'failed' | 'abandoned' | 'skipped';

export interface DigestSubscriptionsTable {
  id: Generated<bigint>;
  team_id: string;
  channel_id: string;
  sales_team_id: bigint | null;
  cadence: 'weekly' | 'daily';
  at_time: string;
  weekday: number;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DigestRunsTable {
  subscription_id: bigint;
  slot: Date;
  team_id: string;
  status: DigestRunStatus;
  claimed_by: string | null;
  lease_expires_at: Date | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  message_ts: string | null;
  posted_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CelebrationsTable {
  /** One crossing of a milestone: a milestone withdrawn and crossed again is a new one. */
  id: Generated<bigint>;
  team_id: string;
  rep_id: string;
  metric: TargetMetric;
  period_kind: TargetPeriodKind;
  period_start: LocalDate;
  milestone: number;
  reached_at: CreatedAt;
}

/** A message posted for a celebration, kept so it can be updated when it is withdrawn. */
export interface CelebrationPostsTable {
  id: Generated<bigint>;
  team_id: string;
  celebration_id: bigint;
  channel_id: string;
  message_ts: string;
  posted_at: Date;
  withdrawn_at: Date | null;
}

export interface FxRatesTable {
  team_id: string;
  currency: string;
  valid_on: LocalDate;
  /** Units of the workspace currency for one unit of `currency`: an exact decimal string. */
  rate: string;
  set_by: string;
  set_at: UpdatedAt;
}

export interface SlackInstallationsTable {
  team_id: string;
  enterprise_id: string | null;
  bot_user_id: string | null;
  /** The whole installation (tokens included) as sealed by src/slack/installation-store.ts. */
  installation_sealed: string;
  installed_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface Database {
  workspaces: WorkspacesTable;
  members: MembersTable;
  products: ProductsTable;
  sales: SalesTable;
  audit_log: AuditLogTable;
  sales_teams: SalesTeamsTable;
  sales_team_members: SalesTeamMembersTable;
  sales_team_managers: SalesTeamManagersTable;
  targets: TargetsTable;
  digest_subscriptions: DigestSubscriptionsTable;
  digest_runs: DigestRunsTable;
  celebrations: CelebrationsTable;
  celebration_posts: CelebrationPostsTable;
  fx_rates: FxRatesTable;
  slack_installations: SlackInstallationsTable;
  imports: ImportsTable;
  sources: SourcesTable;
  source_deals: SourceDealsTable;
  source_owners: SourceOwnersTable;
  source_deliveries: SourceDeliveriesTable;
}

export type ImportKind = 'sales' | 'targets';

/** A CSV import between its dry run and its commit (migrations/0004_imports.ts). */
export interface ImportsTable {
  id: Generated<bigint>;
  team_id: string;
  kind: ImportKind;
  file_name: string;
  file_sha256: string;
  /** The file's text until the commit, which checks it again; null afterwards. */
  content: string | null;
  row_count: number;
  request_key: string | null;
  status: ColumnType<'checked' | 'committed', 'checked' | 'committed' | undefined, 'checked' | 'committed'>;
  created_by: string;
  created_at: CreatedAt;
  committed_by: string | null;
  committed_at: Date | null;
  added_count: number | null;
  existing_count: number | null;
}

export type Import = Selectable<ImportsTable>;

export type Workspace = Selectable<WorkspacesTable>;
export type WorkspaceUpdate = Updateable<WorkspacesTable>;
export type Member = Selectable<MembersTable>;
export type Product = Selectable<ProductsTable>;
export type Sale = Selectable<SalesTable>;
export type NewSale = Insertable<SalesTable>;
export type SaleUpdate = Updateable<SalesTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type SalesTeam = Selectable<SalesTeamsTable>;
export type Target = Selectable<TargetsTable>;
export type NewTarget = Insertable<TargetsTable>;
export type DigestSubscription = Selectable<DigestSubscriptionsTable>;
export type DigestRun = Selectable<DigestRunsTable>;

export type SourceKind = 'webhook' | 'pipedrive';
export type SourceDealState = 'new' | 'won' | 'void' | 'waiting';

/** A system that sends won deals (migrations/0009_crm_sources.ts). */
export interface SourcesTable {
  id: string;
  team_id: string;
  kind: SourceKind;
  name: string;
  /** The HMAC secret or the Basic credentials, sealed by src/sealing.ts. */
  secret_sealed: string;
  created_by: string;
  created_at: Date;
  rotated_at: Date | null;
}

export interface SourceDealsTable {
  source_id: string;
  deal_id: string;
  team_id: string;
  state: SourceDealState;
  sale_id: bigint | null;
  owner_id: string | null;
  /** What a waiting deal logs once its owner is mapped. */
  pending: unknown;
  last_event_at: Date | null;
  updated_at: Date;
}

export interface SourceOwnersTable {
  source_id: string;
  owner_id: string;
  user_id: string | null;
  notified_at: Date | null;
  updated_at: Date;
}

export interface SourceDeliveriesTable {
  id: Generated<bigint>;
  source_id: string;
  team_id: string;
  received_at: Date;
  deal_id: string | null;
  status: number;
  outcome: string;
  sale_id: bigint | null;
  reason: string | null;
}

export type Source = Selectable<SourcesTable>;
export type SourceDeal = Selectable<SourceDealsTable>;
export type SourceDelivery = Selectable<SourceDeliveriesTable>;
