// `/tally audit` and `/tally fx` replies. Pure.
import type { AuditEntry } from '../../db/schema.js';
import { dayjs } from '../../domain/dayjs.js';
import { formatMoney } from '../../domain/money.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import { context, header, section, type SlackMessage } from './blocks.js';

const ACTIONS: Record<string, string> = {
  'sale.logged': 'logged',
  'sale.edited': 'edited',
  'sale.voided': 'voided',
  'target.set': 'set a target',
  'product.added': 'added a product',
  'member.manager_granted': 'made a manager',
  'member.manager_revoked': 'removed as manager',
  'team.created': 'created a team',
  'team.members_added': 'added to a team',
  'team.members_removed': 'removed from a team',
  'digest.subscribed': 'scheduled a digest',
  'digest.unsubscribed': 'stopped a digest',
  'workspace.settings_changed': 'changed the settings',
  'fx.rate_set': 'set an exchange rate',
  'source.connected': 'connected a source',
  'source.rotated': 'rotated the credentials of a source',
  'source.removed': 'removed a source',
};

/** Who acted: a person, or a connected source (`source:KIND:NAME`) for what its deliveries changed. */
function auditActor(actorId: string): string {
  const source = /^source:(webhook|pipedrive):(.+)$/.exec(actorId);
  if (!source) return `<@${actorId}>`;
  return `${source[1] === 'pipedrive' ? 'Pipedrive' : 'Webhook'} source \`${escapeSlackText(source[2]!)}\``;
}

type Row = Record<string, unknown>;
const SALE_FIELDS: ReadonlyArray<[string, string]> = [
  ['amount_minor', 'amount'],
  ['closed_on', 'date'],
  ['customer', 'customer'],
  ['rep_id', 'rep'],
  ['product_id', 'product'],
  ['note', 'note'],
];

function saleValue(field: string, row: Row): string {
  const value = row[field];
  if (value === null || value === undefined || value === '') return '–';
  if (field === 'amount_minor') return formatMoney(BigInt(String(value)), String(row.currency ?? 'USD'));
  if (field === 'rep_id') return `<@${String(value)}>`;
  return escapeSlackText(String(value));
}

/** What an entry changed, in a few words. */
export function auditDetail(entry: AuditEntry): string {
  const before = (entry.before ?? null) as Row | null;
  const after = (entry.after ?? null) as Row | null;
  if (entry.entity_type === 'sale' && after) {
    if (entry.action === 'sale.logged') return `sale ${entry.entity_id}: ${saleValue('amount_minor', after)} for ${saleValue('rep_id', after)}, ${saleValue('customer', after)}, ${saleValue('closed_on', after)}`;
    if (entry.action === 'sale.voided') return `sale ${entry.entity_id} (${saleValue('amount_minor', after)}): ${escapeSlackText(String(after.void_reason ?? ''))}`;
    const changes = SALE_FIELDS.filter(([field]) => before && String(before[field]) !== String(after[field])).map(
      ([field, label]) => `${label} ${saleValue(field, before!)} → ${saleValue(field, after)}`,
    );
    return `sale ${entry.entity_id}: ${changes.join(', ') || 'no visible change'}`;
  }
  if (entry.entity_type === 'member') return `<@${entry.entity_id}>`;
  if (entry.entity_type === 'source') return escapeSlackText(String((after ?? before)?.name ?? entry.entity_id));
  if (entry.action === 'fx.rate_set' && after) return `${String(after.currency)} = ${String(after.rate)} from ${String(after.valid_on)}${before ? ` (was ${String(before.rate)})` : ''}`;
  return escapeSlackText(entry.entity_id);
}

export function auditMessage(entries: readonly AuditEntry[], timezone: string, scope: string): SlackMessage {
  if (entries.length === 0) {
    const text = `Nothing in the audit log ${scope} yet.`;
    return { text, blocks: [section(text)] };
  }
  const lines = entries.map((e) => {
    const at = dayjs(e.at).tz(timezone).format('YYYY-MM-DD HH:mm');
    return `\`${at}\` ${auditActor(e.actor_id)} ${ACTIONS[e.action] ?? e.action} · ${auditDetail(e)}`;
  });
  const chunks: string[] = [];
  for (const line of lines) {
    if (chunks.length > 0 && chunks.at(-1)!.length + line.length < 2900) chunks[chunks.length - 1] += `\n${line}`;
    else chunks.push(line.slice(0, 2900));
  }
  return {
    text: `Audit log ${scope}: ${entries.length} entries`,
    blocks: [header(`Audit log ${scope}`), ...chunks.map(section), context(`Newest first, times in ${timezone}. Narrow it with \`/tally audit @rep\` or \`/tally audit 42\` (a sale id).`)],
  };
}

export function ratesMessage(rates: ReadonlyArray<{ currency: string; rate: string; valid_on: string }>, workspaceCurrency: string): SlackMessage {
  const text =
    rates.length === 0
      ? `No exchange rates yet: sales are counted in ${workspaceCurrency} only. An admin sets one with \`/tally fx EUR 1.0832\`.`
      : `*Exchange rates* (in ${workspaceCurrency})\n${rates.map((r) => `• 1 ${r.currency} = ${r.rate} ${workspaceCurrency} since ${r.valid_on}`).join('\n')}`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}
