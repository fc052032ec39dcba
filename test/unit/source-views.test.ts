// The replies of /tally connect and the messages deliveries cause: a text fallback, blocks
// within Slack's limits, user text escaped, and the exact lines people read.
import { describe, expect, it } from 'vitest';
import type { Sale, Source, SourceDelivery } from '../../src/db/schema.js';
import type { SlackMessage } from '../../src/slack/views/blocks.js';
import {
  ownerMappedMessage,
  sourceCredentialsMessage,
  sourceLogMessage,
  sourceSaleMessage,
  sourcesListMessage,
  unmappedOwnerMessage,
} from '../../src/slack/views/sources.js';
import { validateMessageBlocks } from '../../slack-standin/block-kit-limits.js';

const AT = new Date('2026-11-26T20:00:00Z');
const source = (kind: Source['kind'] = 'webhook'): Source => ({
  id: 'src_0123456789abcdef01234567',
  team_id: 'T1',
  kind,
  name: 'zap',
  secret_sealed: 'v1.x.y.z',
  created_by: 'U0ADMIN',
  created_at: AT,
  rotated_at: null,
});
const sale: Sale = {
  id: 42n,
  team_id: 'T1',
  rep_id: 'U0REP',
  amount_minor: 120050n,
  currency: 'USD',
  original_amount_minor: 120050n,
  original_currency: 'USD',
  fx_rate: null,
  closed_on: '2026-11-25',
  customer: '<!channel> & co',
  product_id: null,
  note: null,
  source: 'api',
  idempotency_key: 'source:src_x:D-1',
  voided_at: null,
  voided_by: null,
  void_reason: null,
  created_by: 'U0REP',
  created_at: AT,
  updated_at: AT,
};
const delivery = (fields: Partial<SourceDelivery>): SourceDelivery => ({
  id: 1n,
  source_id: 'src_x',
  team_id: 'T1',
  received_at: AT,
  deal_id: 'D-1',
  status: 200,
  outcome: 'created',
  sale_id: 42n,
  reason: null,
  ...fields,
});

function expectValid(message: SlackMessage): string {
  expect(message.text.trim()).not.toBe('');
  expect(validateMessageBlocks(message.blocks)).toEqual([]);
  return message.blocks.map((b) => (b.type === 'section' ? b.text?.text : '')).join('\n');
}

describe('source views', () => {
  it.each<[string, SlackMessage, string[]]>([
    [
      'webhook credentials',
      sourceCredentialsMessage(source(), { kind: 'webhook', secret: 'whsec_abc' }, false),
      [
        ':electric_plug: Connected Webhook source `zap`.',
        '*URL:* `https://YOUR-HOST/webhooks/src_0123456789abcdef01234567`',
        '*Secret:* `whsec_abc`',
      ],
    ],
    [
      'rotated Pipedrive credentials',
      sourceCredentialsMessage(source('pipedrive'), { kind: 'pipedrive', user: 'tally-zap', password: 'pw' }, true),
      [
        ':key: New credentials for Pipedrive source `zap`. The old ones no longer work.',
        '*HTTP Basic user:* `tally-zap`',
        '*Password:* `pw`',
        '`/tally connect pipedrive zap map OWNER_ID @rep`',
      ],
    ],
    ['no sources', sourcesListMessage([]), ['No sources are connected.']],
    [
      'a list',
      sourcesListMessage([{ ...source(), deliveries: 1n, last_received_at: AT }]),
      ['• Webhook source `zap` · `https://YOUR-HOST/webhooks/src_0123456789abcdef01234567` · 1 delivery, last 2026-11-26 20:00 UTC'],
    ],
    ['an empty log', sourceLogMessage(source(), []), ['Webhook source `zap` has received no deliveries yet.']],
    [
      'a log',
      sourceLogMessage(source(), [
        delivery({}),
        delivery({ id: 2n, status: 422, outcome: 'rejected', sale_id: null, deal_id: '<x>', reason: 'rep.email: no member has <b@c.d>' }),
      ]),
      [
        '`2026-11-26 20:00:00` 200 *created* deal `D-1` → sale 42',
        '`2026-11-26 20:00:00` 422 *rejected* deal `&lt;x&gt;`: rep.email: no member has &lt;b@c.d&gt;',
      ],
    ],
    [
      'a sale logged',
      sourceSaleMessage(source(), 'created', sale, null),
      [':inbox_tray: Logged *$1,200.50* from *&lt;!channel&gt; &amp; co* · closed 2026-11-25 from Webhook source `zap`.'],
    ],
    [
      'a sale voided',
      sourceSaleMessage(source('pipedrive'), 'voided', sale, null),
      [':wastebasket: Voided', 'from Pipedrive source `zap`. It no longer counts anywhere.'],
    ],
    [
      'an unmapped owner',
      unmappedOwnerMessage(source('pipedrive'), '901', '77'),
      ['won deal `77` of Pipedrive owner `901`', '`/tally connect pipedrive zap map 901 @rep`'],
    ],
  ])('%s', (_name, message, lines) => {
    const text = expectValid(message);
    for (const line of lines) expect(text).toContain(line);
  });

  it('says what mapping an owner logged and refused', () => {
    expect(ownerMappedMessage(source('pipedrive'), '901', 'U0REP', [sale], [{ dealId: '78', reason: 'locked <period>' }])).toBe(
      [
        ':link: Pipedrive owner `901` of Pipedrive source `zap` is <@U0REP>.',
        'Logged 1 waiting deal: *$1,200.50* from *&lt;!channel&gt; &amp; co* · closed 2026-11-25.',
        'Deal `78` was not logged: locked &lt;period&gt;',
      ].join('\n'),
    );
  });
});
