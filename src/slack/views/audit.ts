// `/tally audit` and `/tally fx` replies. Pure.
//
// Each audit entry reads as a sentence: who did what, to whom, from what to what, with names
// and amounts ("<@max> set <@rita>'s monthly revenue target from $30,000.00 to $40,000.00
// from 2026-12"). People are Slack mentions (Slack shows their names); sales teams and
// products are named from the workspace's lists; amounts follow the workspace's money format.
// Entries keep the rows as they were before and after the change (store/audit.ts); one that
// lacks a detail (an older entry, an action this file does not know) still reads, with less.
import type { AuditEntry, TargetMetric } from '../../db/schema.js';
import { dayjs } from '../../domain/dayjs.js';
import { formatMoney, isCurrencyCode } from '../../domain/money.js';
import { periodOfDate, type PeriodKind } from '../../domain/periods.js';
import { describeSchedule, WEEKDAYS } from '../../domain/schedule.js';
import { escapeSlackText, quoteInput } from '../../domain/slack-text.js';
import { context, header, section, type SlackMessage } from './blocks.js';
import { formatAmount } from './format.js';

export interface AuditContext {
  timezone: string;
  /** The workspace currency: targets and exchange rates are in it. */
  currency: string;
  fiscalYearStartMonth: number;
  /** Names of the workspace's sales teams and products, by id. */
  teamNames: ReadonlyMap<string, string>;
  productNames: ReadonlyMap<string, string>;
}

type Row = Record<string, unknown>;

/** A field of a stored row as text; null when missing or empty. */
function text(row: Row | null, field: string): string | null {
  const value = row?.[field];
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function asRow(value: unknown): Row | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : null;
}

function bigintOf(row: Row | null, field: string): bigint | null {
  const value = text(row, field);
  return value !== null && /^-?\d+$/.test(value) ? BigInt(value) : null;
}

const mention = (userId: string) => `<@${escapeSlackText(userId)}>`;

/** Who acted: a person, a connected source (`source:KIND:NAME`), or the command-line import. */
export function auditActor(actorId: string): string {
  const source = /^source:(webhook|pipedrive):(.+)$/.exec(actorId);
  if (source) return `${source[1] === 'pipedrive' ? 'Pipedrive' : 'Webhook'} source \`${quoteInput(source[2]!)}\``;
  if (actorId === 'cli') return 'The command-line import';
  return mention(actorId);
}

/** "A, B and C" */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

// ---- sales --------------------------------------------------------------------------------

function money(row: Row | null, amountField: string, currencyField: string): string | null {
  const amount = bigintOf(row, amountField);
  const currency = text(row, currencyField);
  return amount === null || currency === null || !isCurrencyCode(currency) ? null : formatMoney(amount, currency);
}

/** "$1,029.04 (€950.00)": the amount counted, and as typed when in another currency. */
function saleAmount(row: Row): string {
  const counted = money(row, 'amount_minor', 'currency') ?? 'an amount';
  const original =
    text(row, 'original_currency') !== text(row, 'currency') ? money(row, 'original_amount_minor', 'original_currency') : null;
  return original ? `${counted} (${original})` : counted;
}

function productName(id: string | null, ctx: AuditContext): string | null {
  if (id === null) return null;
  const name = ctx.productNames.get(id);
  return name === undefined ? `product ${escapeSlackText(id)}` : quoteInput(name);
}

/** "sale 12" or "sale 12 of <@rita>" when the rep is not the actor. */
function saleOf(entry: AuditEntry, row: Row): string {
  const rep = text(row, 'rep_id');
  return `sale ${escapeSlackText(entry.entity_id)}${rep && rep !== entry.actor_id ? ` of ${mention(rep)}` : ''}`;
}

/** "$1,029.04 (€950.00) from Acme, widgets, closed 2026-11-26" */
function saleSummary(row: Row, ctx: AuditContext): string {
  const customer = text(row, 'customer');
  const product = productName(text(row, 'product_id'), ctx);
  const closed = text(row, 'closed_on');
  const parts = [`${saleAmount(row)}${customer ? ` from ${quoteInput(customer)}` : ''}`];
  if (product) parts.push(product);
  if (closed) parts.push(`closed ${escapeSlackText(closed)}`);
  return parts.join(', ');
}

const SALE_FIELDS: ReadonlyArray<{ label: string; fields: readonly string[]; show: (row: Row, ctx: AuditContext) => string }> = [
  { label: 'amount', fields: ['amount_minor', 'currency', 'original_amount_minor', 'original_currency'], show: (row) => saleAmount(row) },
  { label: 'close date', fields: ['closed_on'], show: (row) => escapeSlackText(text(row, 'closed_on') ?? 'none') },
  { label: 'customer', fields: ['customer'], show: (row) => quoted(text(row, 'customer')) },
  { label: 'rep', fields: ['rep_id'], show: (row) => (text(row, 'rep_id') ? mention(text(row, 'rep_id')!) : 'no one') },
  { label: 'product', fields: ['product_id'], show: (row, ctx) => productName(text(row, 'product_id'), ctx) ?? 'none' },
  { label: 'note', fields: ['note'], show: (row) => quoted(text(row, 'note')) },
];

function quoted(value: string | null): string {
  return value === null ? 'none' : `“${quoteInput(value)}”`;
}

function saleSentence(entry: AuditEntry, before: Row | null, after: Row, ctx: AuditContext): string {
  switch (entry.action) {
    case 'sale.logged':
      return `logged ${saleOf(entry, after)}: ${saleSummary(after, ctx)}`;
    case 'sale.voided': {
      const reason = text(after, 'void_reason');
      return `voided ${saleOf(entry, after)} (${saleSummary(after, ctx)})${reason ? `: ${quoteInput(reason, 200)}` : ''}`;
    }
    default: {
      if (before && text(before, 'voided_at') !== null && text(after, 'voided_at') === null)
        return `restored ${saleOf(entry, after)}: ${saleSummary(after, ctx)}`;
      const changes = before
        ? SALE_FIELDS.filter(({ fields }) => fields.some((field) => text(before, field) !== text(after, field))).map(
            ({ label, show }) => `the ${label} from ${show(before, ctx)} to ${show(after, ctx)}`,
          )
        : [];
      return `edited ${saleOf(entry, before ?? after)}: ${changes.length > 0 ? list(changes) : 'nothing visible changed'}`;
    }
  }
}

// ---- targets ------------------------------------------------------------------------------

const EVERY: Record<PeriodKind, string> = { week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly' };
const METRIC: Record<TargetMetric, string> = { revenue: 'revenue', deals: 'deals-won' };

function isPeriodKind(value: string | null): value is PeriodKind {
  return value === 'week' || value === 'month' || value === 'quarter' || value === 'year';
}

function isMetric(value: string | null): value is TargetMetric {
  return value === 'revenue' || value === 'deals';
}

/** Whose target: "<@rita>'s", "team *east*'s", "product *widgets*'s", "the company's". */
function targetOwner(subjectType: string | null, subjectId: string | null, ctx: AuditContext): string {
  switch (subjectType) {
    case 'rep':
      return subjectId ? `${mention(subjectId)}'s` : "a rep's";
    case 'team': {
      const name = subjectId === null ? undefined : ctx.teamNames.get(subjectId);
      return `team *${name === undefined ? escapeSlackText(subjectId ?? '?') : quoteInput(name)}*'s`;
    }
    case 'product': {
      const name = subjectId === null ? undefined : ctx.productNames.get(subjectId);
      return `product *${name === undefined ? escapeSlackText(subjectId ?? '?') : quoteInput(name)}*'s`;
    }
    default:
      return "the company's";
  }
}

/** A period by its name, "2026-12" or "FY2027-Q1", from its first day. */
function periodName(kind: PeriodKind, start: string | null, ctx: AuditContext): string {
  if (start === null || !/^\d{4}-\d{2}-\d{2}$/.test(start)) return 'a period';
  return periodOfDate(kind, start, ctx.timezone, ctx.fiscalYearStartMonth).key;
}

/** "$40,000.00 from 2026-12", "$40,000.00 for 2026-12", "$40,000.00 from 2026-12 to 2027-02". */
function targetSpan(row: Row, kind: PeriodKind, metric: TargetMetric, ctx: AuditContext): string {
  const amount = bigintOf(row, 'amount');
  const shown = amount === null ? 'an amount' : formatAmount(amount, metric, ctx.currency);
  const first = text(row, 'first_period_start');
  const last = text(row, 'last_period_start');
  if (last === null) return `${shown} from ${periodName(kind, first, ctx)}`;
  if (last === first) return `${shown} for ${periodName(kind, first, ctx)}`;
  return `${shown} from ${periodName(kind, first, ctx)} to ${periodName(kind, last, ctx)}`;
}

function targetSentence(entry: AuditEntry, ctx: AuditContext): string {
  const rows = (Array.isArray(entry.after) ? entry.after : [entry.after]).map(asRow).filter((r): r is Row => r !== null);
  const before = asRow(entry.before);
  // entity_id is SUBJECT_TYPE:SUBJECT_ID:METRIC:PERIOD_KIND; the rows say the same when present.
  const [keyType = null, keyId = null, keyMetric = null, keyKind = null] = entry.entity_id.split(':');
  const first = rows[0] ?? null;
  const kindText = text(first, 'period_kind') ?? keyKind;
  const metricText = text(first, 'metric') ?? keyMetric;
  const kind: PeriodKind = isPeriodKind(kindText) ? kindText : 'month';
  const metric: TargetMetric = isMetric(metricText) ? metricText : 'revenue';
  const owner = targetOwner(text(first, 'subject_type') ?? keyType, text(first, 'subject_id') ?? keyId, ctx);
  const what = `${owner} ${isPeriodKind(kindText) ? `${EVERY[kind]} ` : ''}${METRIC[metric]} target`;
  const beforeAmount = bigintOf(before, 'amount');
  const from = beforeAmount === null ? '' : ` from ${formatAmount(beforeAmount, metric, ctx.currency)}`;
  if (rows.length === 0) return `set ${what}`;
  if (rows.length === 1) return `set ${what}${from} to ${targetSpan(rows[0]!, kind, metric, ctx)}`;
  return `set ${what}${from} to ${list(rows.map((row) => targetSpan(row, kind, metric, ctx)))}`;
}

// ---- people, teams, digests ---------------------------------------------------------------

function teamName(id: string | null, ctx: AuditContext): string {
  if (id === null) return 'a team';
  const name = ctx.teamNames.get(id);
  return `team *${name === undefined ? escapeSlackText(id) : quoteInput(name)}*`;
}

function teamPeopleSentence(entry: AuditEntry, after: Row | null, ctx: AuditContext): string {
  const ids = Array.isArray(after?.userIds) ? (after.userIds as unknown[]).map(String) : [];
  const people = ids.length > 0 ? list(ids.map(mention)) : 'people';
  const team = teamName(entry.entity_id, ctx);
  const from = text(after, 'from');
  const since = from ? ` from ${escapeSlackText(from)}` : '';
  switch (entry.action) {
    case 'team.members_added':
      return `added ${people} to ${team}${since}`;
    case 'team.members_removed':
      return `removed ${people} from ${team}${since}`;
    case 'team.managers_added':
      return `made ${people} ${ids.length === 1 ? 'a manager' : 'managers'} of ${team}${since}`;
    default:
      return `removed ${people} as ${ids.length === 1 ? 'a manager' : 'managers'} of ${team}${since}`;
  }
}

/** "the digest of team *east* in <#C123>" */
function digestOf(row: Row | null, ctx: AuditContext): string {
  const teamId = text(row, 'sales_team_id');
  const channel = text(row, 'channel_id');
  return `the digest of ${teamId === null ? 'the whole company' : teamName(teamId, ctx)}${channel ? ` in <#${escapeSlackText(channel)}>` : ''}`;
}

/** "every Monday at 09:00" */
function scheduleOf(row: Row | null): string | null {
  const cadence = text(row, 'cadence');
  const time = text(row, 'at_time');
  const weekday = Number(text(row, 'weekday'));
  if ((cadence !== 'weekly' && cadence !== 'daily') || time === null || !(weekday >= 1 && weekday <= WEEKDAYS.length)) return null;
  return describeSchedule({ cadence, time: time.slice(0, 5), weekday });
}

function digestSentence(entry: AuditEntry, before: Row | null, after: Row | null, ctx: AuditContext): string {
  if (entry.action === 'digest.unsubscribed') {
    const schedule = scheduleOf(before);
    return `stopped ${digestOf(before, ctx)}${schedule ? ` (${schedule})` : ''}`;
  }
  const was = scheduleOf(before);
  const now = scheduleOf(after);
  if (was && now && was === now) return `scheduled ${digestOf(after, ctx)} again, unchanged: ${now}`;
  if (was && now) return `changed ${digestOf(after, ctx)} from ${was} to ${now}`;
  return `scheduled ${digestOf(after, ctx)}${now ? `, ${now}` : ''}`;
}

// ---- settings, rates, sources, imports ----------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const onOff = (value: string | null) => (value === 'true' ? 'on' : 'off');

const SETTINGS: ReadonlyArray<{ field: string; label: string; show: (value: string | null) => string }> = [
  { field: 'timezone', label: 'the timezone', show: (v) => escapeSlackText(v ?? 'none') },
  { field: 'currency', label: 'the currency', show: (v) => escapeSlackText(v ?? 'none') },
  { field: 'fiscal_year_start_month', label: 'the fiscal year start', show: (v) => MONTHS[Number(v) - 1] ?? escapeSlackText(v ?? 'none') },
  { field: 'milestones', label: 'the milestones', show: (v) => milestones(v) },
  { field: 'celebrations_enabled', label: 'celebrations', show: onOff },
  { field: 'locked_through', label: 'the periods closed through', show: (v) => escapeSlackText(v ?? 'none') },
  {
    field: 'date_order',
    label: 'how typed dates read',
    show: (v) => (v === 'mdy' ? 'month/day' : v === 'dmy' ? 'day/month' : 'by the currency'),
  },
  { field: 'guard_rails_enabled', label: 'the guard rails', show: onOff },
];

function milestones(value: string | null): string {
  if (value === null) return 'none';
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.length === 0 ? 'none' : parsed.map((m) => `${Number(m)}%`).join(', ');
  } catch {
    // shown as stored
  }
  return escapeSlackText(value);
}

function settingsSentence(before: Row | null, after: Row | null): string {
  if (!before || !after) return 'changed the settings';
  const changes = SETTINGS.filter(({ field }) => text(before, field) !== text(after, field)).map(
    ({ field, label, show }) => `${label} from ${show(text(before, field))} to ${show(text(after, field))}`,
  );
  return changes.length === 0 ? 'saved the settings without a change' : `changed ${list(changes)}`;
}

function rateSentence(before: Row | null, after: Row | null, ctx: AuditContext): string {
  const currency = escapeSlackText(text(after, 'currency') ?? 'a currency');
  const rate = escapeSlackText(text(after, 'rate') ?? '?');
  const was = text(before, 'rate');
  const since = text(after, 'valid_on');
  return `set the ${currency} rate${was ? ` from ${escapeSlackText(was)}` : ''} to ${rate} ${ctx.currency}${since ? ` from ${escapeSlackText(since)}` : ''}`;
}

function sourceSentence(entry: AuditEntry, before: Row | null, after: Row | null): string {
  const row = after ?? before;
  const kind = text(row, 'kind');
  const name = `${kind === 'pipedrive' ? 'the Pipedrive source' : kind === 'webhook' ? 'the webhook source' : 'the source'} \`${quoteInput(text(row, 'name') ?? entry.entity_id)}\``;
  if (entry.action === 'source.connected') return `connected ${name}`;
  if (entry.action === 'source.rotated') return `made new credentials for ${name}`;
  return `removed ${name}`;
}

function importSentence(entry: AuditEntry, after: Row | null): string {
  const noun = entry.action === 'targets.imported' ? ['target', 'targets'] : ['sale', 'sales'];
  const added = Number(text(after, 'added') ?? 0);
  const already = Number(text(after, 'already_there') ?? 0);
  const file = text(after, 'file_name');
  const alreadyText = already > 0 ? ` (${already.toLocaleString('en-US')} already there)` : '';
  return `imported ${added.toLocaleString('en-US')} ${noun[added === 1 ? 0 : 1]}${file ? ` from *${quoteInput(file)}*` : ''}${alreadyText}`;
}

// ---- one entry, the message ---------------------------------------------------------------

/** What the actor did, as the rest of a sentence that starts with who did it. */
export function auditDetail(entry: AuditEntry, ctx: AuditContext): string {
  const before = asRow(entry.before);
  const after = asRow(entry.after);
  if (entry.entity_type === 'sale' && (after ?? before)) return saleSentence(entry, before, (after ?? before)!, ctx);
  switch (entry.action) {
    case 'target.set':
      return targetSentence(entry, ctx);
    case 'product.added':
      return `added the product *${quoteInput(text(after, 'name') ?? entry.entity_id)}*`;
    case 'member.manager_granted':
      return `made ${mention(entry.entity_id)} a manager`;
    case 'member.manager_revoked':
      return `took the manager role from ${mention(entry.entity_id)}`;
    case 'team.created': {
      const channel = text(after, 'channel_id');
      return `created team *${quoteInput(text(after, 'name') ?? entry.entity_id)}*${channel ? `, posting in <#${escapeSlackText(channel)}>` : ''}`;
    }
    case 'team.members_added':
    case 'team.members_removed':
    case 'team.managers_added':
    case 'team.managers_removed':
      return teamPeopleSentence(entry, after, ctx);
    case 'digest.subscribed':
    case 'digest.unsubscribed':
      return digestSentence(entry, before, after, ctx);
    case 'workspace.settings_changed':
      return settingsSentence(before, after);
    case 'fx.rate_set':
      return rateSentence(before, after, ctx);
    case 'source.connected':
    case 'source.rotated':
    case 'source.removed':
      return sourceSentence(entry, before, after);
    case 'sales.imported':
    case 'targets.imported':
      return importSentence(entry, after);
    default:
      return `did ${quoteInput(entry.action)} to ${quoteInput(`${entry.entity_type} ${entry.entity_id}`)}`;
  }
}

/** One entry: when, who, what. */
export function auditLine(entry: AuditEntry, ctx: AuditContext): string {
  const at = dayjs(entry.at).tz(ctx.timezone).format('YYYY-MM-DD HH:mm');
  return `${at} · ${auditActor(entry.actor_id)} ${auditDetail(entry, ctx)}`;
}

const CHUNK = 2900;

export function auditMessage(entries: readonly AuditEntry[], ctx: AuditContext, scope: string): SlackMessage {
  if (entries.length === 0) {
    const text = `Nothing in the audit log ${scope} yet.`;
    return { text, blocks: [section(text)] };
  }
  const chunks: string[] = [];
  for (const line of entries.map((e) => auditLine(e, ctx))) {
    if (chunks.length > 0 && chunks.at(-1)!.length + line.length < CHUNK) chunks[chunks.length - 1] += `\n${line}`;
    else chunks.push(line);
  }
  return {
    text: `Audit log ${scope}: ${entries.length} entries`,
    blocks: [
      header(`Audit log ${scope}`),
      ...chunks.map(section),
      context(`Newest first, times in ${ctx.timezone}. Narrow it with \`/tally audit @rep\` or \`/tally audit 42\` (a sale id).`),
    ],
  };
}

export function ratesMessage(
  rates: ReadonlyArray<{ currency: string; rate: string; valid_on: string }>,
  workspaceCurrency: string,
): SlackMessage {
  const text =
    rates.length === 0
      ? `No exchange rates yet: sales are counted in ${workspaceCurrency} only. An admin sets one with \`/tally fx EUR 1.0832\`.`
      : `*Exchange rates* (in ${workspaceCurrency})\n${rates.map((r) => `• 1 ${r.currency} = ${r.rate} ${workspaceCurrency} since ${r.valid_on}`).join('\n')}`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}
