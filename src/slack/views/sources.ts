// Replies about connected sources (/tally connect) and the messages their deliveries cause. Pure.
import type { Sale, Source, SourceDelivery } from '../../db/schema.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import type { SourceSecret } from '../../services/sources.js';
import { context, section, type SlackMessage } from './blocks.js';
import { describeSale } from './sale-messages.js';

const KIND_NAMES = { webhook: 'Webhook', pipedrive: 'Pipedrive' } as const;

/** Where a source's deliveries go; YOUR-HOST is the host of the app's Slack request URL. */
export function sourceUrl(source: Pick<Source, 'id'>): string {
  return `https://YOUR-HOST/webhooks/${source.id}`;
}

export function sourceLabel(source: Pick<Source, 'kind' | 'name'>): string {
  return `${KIND_NAMES[source.kind]} source \`${escapeSlackText(source.name)}\``;
}

/** The URL and credentials of a new or rotated source: shown once, to the admin alone. */
export function sourceCredentialsMessage(source: Source, secret: SourceSecret, rotated: boolean): SlackMessage {
  const lines = [
    rotated
      ? `:key: New credentials for ${sourceLabel(source)}. The old ones no longer work.`
      : `:electric_plug: Connected ${sourceLabel(source)}.`,
    `*URL:* \`${sourceUrl(source)}\` (YOUR-HOST: the host Tally runs on, as in your Slack app's request URL)`,
  ];
  if (secret.kind === 'webhook') {
    lines.push(
      `*Secret:* \`${secret.secret}\``,
      'Send `POST` JSON with the header `X-Tally-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`.',
    );
  } else {
    lines.push(
      `*HTTP Basic user:* \`${secret.user}\``,
      `*Password:* \`${secret.password}\``,
      `In Pipedrive: Tools and apps → Webhooks → Create new webhook, event object *deal*, action ***, version 2.0, with this URL, user and password. Then map each deal owner: \`/tally connect pipedrive ${escapeSlackText(source.name)} map OWNER_ID @rep\`.`,
    );
  }
  return {
    text: lines.join('\n').replaceAll('*', ''),
    blocks: [
      section(lines.join('\n')),
      context(`This is the only time Tally shows these credentials. Lost them? \`/tally connect rotate ${escapeSlackText(source.name)}\`.`),
    ],
  };
}

export interface ListedSource extends Source {
  deliveries: bigint;
  last_received_at: Date | null;
}

export function sourcesListMessage(sources: readonly ListedSource[]): SlackMessage {
  if (sources.length === 0) {
    const text =
      'No sources are connected. `/tally connect webhook NAME` (Zapier, Make, HubSpot, Salesforce…) or `/tally connect pipedrive NAME` connects one.';
    return { text, blocks: [section(text)] };
  }
  const lines = sources.map(
    (s) =>
      `• ${sourceLabel(s)} · \`${sourceUrl(s)}\` · ${s.deliveries} ${s.deliveries === 1n ? 'delivery' : 'deliveries'}${s.last_received_at ? `, last ${s.last_received_at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}`,
  );
  return {
    text: `Connected sources:\n${lines.join('\n')}`,
    blocks: [
      section(`*Connected sources*\n${lines.join('\n')}`),
      context('`/tally connect log NAME` shows the last 20 deliveries of one.'),
    ],
  };
}

export function sourceLogMessage(source: Source, deliveries: readonly SourceDelivery[]): SlackMessage {
  if (deliveries.length === 0) {
    const text = `${sourceLabel(source)} has received no deliveries yet.`;
    return { text, blocks: [section(text)] };
  }
  const lines = deliveries.map((d) => {
    const when = d.received_at.toISOString().slice(0, 19).replace('T', ' ');
    const deal = d.deal_id ? ` deal \`${escapeSlackText(d.deal_id)}\`` : '';
    const sale = d.sale_id === null ? '' : ` → sale ${d.sale_id}`;
    const reason = d.reason ? `: ${escapeSlackText(d.reason)}` : '';
    return `\`${when}\` ${d.status} *${d.outcome}*${deal}${sale}${reason}`;
  });
  return {
    text: `Last deliveries of ${source.name}`,
    blocks: [
      section(`*Last ${deliveries.length} deliveries of ${sourceLabel(source)}* (UTC, newest first)\n${lines.join('\n')}`.slice(0, 3000)),
    ],
  };
}

/** The rep's DM when a source logged, changed or voided one of their sales. */
export function sourceSaleMessage(
  source: Source,
  change: 'created' | 'edited' | 'voided',
  sale: Sale,
  productName: string | null,
): SlackMessage {
  const what = { created: ':inbox_tray: Logged', edited: ':pencil2: Updated', voided: ':wastebasket: Voided' }[change];
  const text = `${what} ${describeSale(sale, productName)} from ${sourceLabel(source)}.${change === 'voided' ? ' It no longer counts anywhere.' : ''}`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}

/** The admin's one DM about a Pipedrive owner no Slack user is mapped to. */
export function unmappedOwnerMessage(source: Source, ownerId: string, dealId: string): SlackMessage {
  const text =
    `:hourglass: ${sourceLabel(source)} sent won deal \`${escapeSlackText(dealId)}\` of Pipedrive owner \`${escapeSlackText(ownerId)}\`, who is not mapped to anyone in Slack. ` +
    `Tally keeps such deals waiting. Map the owner with \`/tally connect pipedrive ${escapeSlackText(source.name)} map ${escapeSlackText(ownerId)} @rep\` and they are logged.`;
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}

export function ownerMappedMessage(
  source: Source,
  ownerId: string,
  userId: string,
  logged: readonly Sale[],
  refused: ReadonlyArray<{ dealId: string; reason: string }>,
): string {
  const lines = [`:link: Pipedrive owner \`${escapeSlackText(ownerId)}\` of ${sourceLabel(source)} is <@${userId}>.`];
  if (logged.length > 0)
    lines.push(
      `Logged ${logged.length} waiting ${logged.length === 1 ? 'deal' : 'deals'}: ${logged.map((s) => describeSale(s, null)).join('; ')}.`,
    );
  for (const r of refused) lines.push(`Deal \`${escapeSlackText(r.dealId)}\` was not logged: ${escapeSlackText(r.reason)}`);
  return lines.join('\n');
}
