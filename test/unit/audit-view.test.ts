// The audit log in words: one sentence per entry kind, exact text, from rows shaped as the
// services store them (bigints as strings, dates as YYYY-MM-DD), and entries that lack a
// detail (older ones, unknown actions) still read.
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/db/schema.js';
import { auditLine, auditMessage, type AuditContext } from '../../src/slack/views/audit.js';

const CTX: AuditContext = {
  timezone: 'America/New_York',
  currency: 'USD',
  fiscalYearStartMonth: 4,
  teamNames: new Map([['3', 'east']]),
  productNames: new Map([['7', 'widgets']]),
};

const AT = new Date('2026-11-26T20:05:00Z'); // 15:05 in New York

function entry(action: string, entityType: string, entityId: string, before: unknown, after: unknown, actorId = 'U0MAX'): AuditEntry {
  return { id: 1n, team_id: 'T1', actor_id: actorId, action, entity_type: entityType, entity_id: entityId, before, after, at: AT };
}

const SALE = {
  id: '12',
  rep_id: 'U0RITA',
  amount_minor: '102904',
  currency: 'USD',
  original_amount_minor: '95000',
  original_currency: 'EUR',
  fx_rate: '1.0832',
  closed_on: '2026-11-26',
  customer: 'Acme',
  product_id: '7',
  note: null,
  voided_at: null,
  void_reason: null,
};
const USD_SALE = {
  ...SALE,
  amount_minor: '150000',
  original_amount_minor: '150000',
  original_currency: 'USD',
  fx_rate: null,
  product_id: null,
};

const TARGET = (amount: string, first: string, last: string | null, subject = ['rep', 'U0RITA'], kind = 'month', metric = 'revenue') => ({
  id: '5',
  subject_type: subject[0],
  subject_id: subject[1],
  metric,
  period_kind: kind,
  first_period_start: first,
  last_period_start: last,
  amount,
  created_by: 'U0MAX',
});

const WORKSPACE = {
  team_id: 'T1',
  timezone: 'UTC',
  currency: 'USD',
  fiscal_year_start_month: 1,
  milestones: [50, 100],
  celebrations_enabled: true,
  locked_through: null,
  date_order: null,
  guard_rails_enabled: true,
  version: 3,
  updated_at: '2026-11-01T00:00:00.000Z',
};

const DIGEST = { id: '3', channel_id: 'C0SALES', sales_team_id: null, cadence: 'weekly', at_time: '09:00', weekday: 1 };

describe('auditLine', () => {
  it.each([
    // sales
    [
      'sale logged by its rep, in another currency, with a product',
      entry('sale.logged', 'sale', '12', null, SALE, 'U0RITA'),
      '<@U0RITA> logged sale 12: $1,029.04 (€950.00) from Acme, widgets, closed 2026-11-26',
    ],
    [
      'sale logged for a rep by a manager',
      entry('sale.logged', 'sale', '12', null, USD_SALE),
      '<@U0MAX> logged sale 12 of <@U0RITA>: $1,500.00 from Acme, closed 2026-11-26',
    ],
    [
      'sale edited: each change from → to',
      entry('sale.edited', 'sale', '12', USD_SALE, {
        ...USD_SALE,
        amount_minor: '250000',
        original_amount_minor: '250000',
        customer: 'Globex',
        product_id: '7',
        note: 'renewal',
      }),
      '<@U0MAX> edited sale 12 of <@U0RITA>: the amount from $1,500.00 to $2,500.00, the customer from “Acme” to “Globex”, the product from none to widgets and the note from none to “renewal”',
    ],
    [
      'sale edited to another rep',
      entry('sale.edited', 'sale', '12', USD_SALE, { ...USD_SALE, rep_id: 'U0RAJ' }),
      '<@U0MAX> edited sale 12 of <@U0RITA>: the rep from <@U0RITA> to <@U0RAJ>',
    ],
    [
      'sale saved unchanged',
      entry('sale.edited', 'sale', '12', USD_SALE, { ...USD_SALE, updated_at: 'later' }, 'U0RITA'),
      '<@U0RITA> edited sale 12: nothing visible changed',
    ],
    [
      'sale voided with a reason',
      entry('sale.voided', 'sale', '12', USD_SALE, {
        ...USD_SALE,
        voided_at: '2026-11-26T20:00:00.000Z',
        void_reason: 'Undone from the /logsale confirmation',
      }),
      '<@U0MAX> voided sale 12 of <@U0RITA> ($1,500.00 from Acme, closed 2026-11-26): Undone from the /logsale confirmation',
    ],
    [
      'sale restored by a source',
      entry('sale.edited', 'sale', '12', { ...USD_SALE, voided_at: '2026-11-26T20:00:00.000Z' }, USD_SALE, 'source:pipedrive:crm'),
      'Pipedrive source `crm` restored sale 12 of <@U0RITA>: $1,500.00 from Acme, closed 2026-11-26',
    ],
    // targets
    [
      'a rep target changed from a month on',
      entry('target.set', 'target', 'rep:U0RITA:revenue:month', TARGET('3000000', '2026-01-01', null), [
        TARGET('4000000', '2026-12-01', null),
      ]),
      "<@U0MAX> set <@U0RITA>'s monthly revenue target from $30,000.00 to $40,000.00 from 2026-12",
    ],
    [
      'a first target for one quarter (fiscal)',
      entry('target.set', 'target', 'team:3:revenue:quarter', null, [
        TARGET('9000000', '2026-04-01', '2026-04-01', ['team', '3'], 'quarter'),
      ]),
      "<@U0MAX> set team *east*'s quarterly revenue target to $90,000.00 for FY2027-Q1",
    ],
    [
      'a seasonal plan of deals for a product',
      entry('target.set', 'target', 'product:7:deals:month', TARGET('5', '2026-01-01', null, ['product', '7'], 'month', 'deals'), [
        TARGET('8', '2026-12-01', '2026-12-01', ['product', '7'], 'month', 'deals'),
        TARGET('1', '2027-01-01', '2027-02-01', ['product', '7'], 'month', 'deals'),
        TARGET('6', '2027-03-01', null, ['product', '7'], 'month', 'deals'),
      ]),
      "<@U0MAX> set product *widgets*'s monthly deals-won target from 5 deals to 8 deals for 2026-12, 1 deal from 2027-01 to 2027-02 and 6 deals from 2027-03",
    ],
    [
      'a company target for a week',
      entry('target.set', 'target', 'company::revenue:week', null, [TARGET('100000', '2026-11-30', null, ['company', ''], 'week')]),
      "<@U0MAX> set the company's weekly revenue target to $1,000.00 from 2026-W49",
    ],
    [
      'a target entry without its rows still names whose',
      entry('target.set', 'target', 'rep:U0RITA:revenue:month', null, null),
      "<@U0MAX> set <@U0RITA>'s monthly revenue target",
    ],
    // people and teams
    [
      'manager granted',
      entry('member.manager_granted', 'member', 'U0MAX', { role: 'rep' }, { role: 'manager' }, 'U0ADA'),
      '<@U0ADA> made <@U0MAX> a manager',
    ],
    [
      'manager revoked',
      entry('member.manager_revoked', 'member', 'U0MAX', { role: 'manager' }, { role: 'rep' }, 'U0ADA'),
      '<@U0ADA> took the manager role from <@U0MAX>',
    ],
    [
      'team created',
      entry('team.created', 'team', '3', null, { id: '3', name: 'east', channel_id: 'C0EAST' }),
      '<@U0MAX> created team *east*, posting in <#C0EAST>',
    ],
    [
      'members added',
      entry('team.members_added', 'team', '3', null, { userIds: ['U0RITA', 'U0RAJ'], from: '2026-11-01' }),
      '<@U0MAX> added <@U0RITA> and <@U0RAJ> to team *east* from 2026-11-01',
    ],
    [
      'members removed',
      entry('team.members_removed', 'team', '3', null, { userIds: ['U0RITA'], from: '2026-11-26' }),
      '<@U0MAX> removed <@U0RITA> from team *east* from 2026-11-26',
    ],
    [
      'managers added',
      entry('team.managers_added', 'team', '3', null, { userIds: ['U0MAX'], from: '2026-11-26' }, 'U0ADA'),
      '<@U0ADA> made <@U0MAX> a manager of team *east* from 2026-11-26',
    ],
    [
      'managers removed, of a team gone from the list',
      entry('team.managers_removed', 'team', '9', null, { userIds: ['U0MAX', 'U0ADA'], from: '2026-11-26' }, 'U0ADA'),
      '<@U0ADA> removed <@U0MAX> and <@U0ADA> as managers of team *9* from 2026-11-26',
    ],
    ['product added', entry('product.added', 'product', '7', null, { id: '7', name: 'widgets' }), '<@U0MAX> added the product *widgets*'],
    // digests
    [
      'digest scheduled (an entry without a before)',
      entry('digest.subscribed', 'workspace', 'digest:3', null, DIGEST),
      '<@U0MAX> scheduled the digest of the whole company in <#C0SALES>, every Monday at 09:00',
    ],
    [
      'digest schedule changed',
      entry(
        'digest.subscribed',
        'workspace',
        'digest:3',
        { ...DIGEST, sales_team_id: '3' },
        { ...DIGEST, sales_team_id: '3', cadence: 'daily', at_time: '08:30' },
      ),
      '<@U0MAX> changed the digest of team *east* in <#C0SALES> from every Monday at 09:00 to every day at 08:30',
    ],
    [
      'digest scheduled twice the same',
      entry('digest.subscribed', 'workspace', 'digest:3', DIGEST, DIGEST),
      '<@U0MAX> scheduled the digest of the whole company in <#C0SALES> again, unchanged: every Monday at 09:00',
    ],
    [
      'digest stopped',
      entry('digest.unsubscribed', 'workspace', 'digest:3', { ...DIGEST, weekday: 5 }, null),
      '<@U0MAX> stopped the digest of the whole company in <#C0SALES> (every Friday at 09:00)',
    ],
    // settings, rates, sources, imports
    [
      'settings changed',
      entry(
        'workspace.settings_changed',
        'workspace',
        'T1',
        WORKSPACE,
        {
          ...WORKSPACE,
          timezone: 'Europe/Berlin',
          fiscal_year_start_month: 4,
          milestones: [50, 100, 150],
          celebrations_enabled: false,
          locked_through: '2026-10-31',
          date_order: 'dmy',
          version: 4,
        },
        'U0ADA',
      ),
      '<@U0ADA> changed the timezone from UTC to Europe/Berlin, the fiscal year start from January to April, the milestones from 50%, 100% to 50%, 100%, 150%, celebrations from on to off, the periods closed through from none to 2026-10-31 and how typed dates read from by the currency to day/month',
    ],
    [
      'guard rails turned off',
      entry('workspace.settings_changed', 'workspace', 'T1', WORKSPACE, { ...WORKSPACE, guard_rails_enabled: false, version: 4 }),
      '<@U0MAX> changed the guard rails from on to off',
    ],
    [
      'settings saved unchanged',
      entry('workspace.settings_changed', 'workspace', 'T1', WORKSPACE, { ...WORKSPACE, version: 4 }, 'U0ADA'),
      '<@U0ADA> saved the settings without a change',
    ],
    [
      'first rate',
      entry('fx.rate_set', 'workspace', 'fx:EUR:2026-11-01', null, { currency: 'EUR', rate: '1.0832', valid_on: '2026-11-01' }, 'U0ADA'),
      '<@U0ADA> set the EUR rate to 1.0832 USD from 2026-11-01',
    ],
    [
      'rate changed',
      entry(
        'fx.rate_set',
        'workspace',
        'fx:EUR:2026-11-25',
        { currency: 'EUR', rate: '1.0832', valid_on: '2026-11-25' },
        { currency: 'EUR', rate: '1.10', valid_on: '2026-11-25' },
        'U0ADA',
      ),
      '<@U0ADA> set the EUR rate from 1.0832 to 1.10 USD from 2026-11-25',
    ],
    [
      'source connected',
      entry('source.connected', 'source', 'src1', null, { name: 'crm', kind: 'pipedrive' }, 'U0ADA'),
      '<@U0ADA> connected the Pipedrive source `crm`',
    ],
    [
      'source rotated',
      entry('source.rotated', 'source', 'src1', null, { name: 'zap' }, 'U0ADA'),
      '<@U0ADA> made new credentials for the source `zap`',
    ],
    [
      'source removed',
      entry('source.removed', 'source', 'src1', { name: 'zap', kind: 'webhook' }, null, 'U0ADA'),
      '<@U0ADA> removed the webhook source `zap`',
    ],
    [
      'sales imported',
      entry('sales.imported', 'import', '4', null, { file_name: 'sales.csv', rows: 3, added: 2, already_there: 1 }),
      '<@U0MAX> imported 2 sales from *sales.csv* (1 already there)',
    ],
    [
      'targets imported from the command line',
      entry('targets.imported', 'import', '5', null, { file_name: 'targets.csv', rows: 1, added: 1, already_there: 0 }, 'cli'),
      'The command-line import imported 1 target from *targets.csv*',
    ],
    [
      'an action this version does not know',
      entry('widget.frobbed', 'widget', '<9>', null, null),
      '<@U0MAX> did widget.frobbed to widget &lt;9&gt;',
    ],
  ])('%s', (_name, e, sentence) => {
    expect(auditLine(e, CTX)).toBe(`2026-11-26 15:05 · ${sentence}`);
  });

  it.each([
    [
      'a customer',
      entry('sale.logged', 'sale', '12', null, { ...USD_SALE, customer: '<!channel> & co' }, 'U0RITA'),
      'from &lt;!channel&gt; &amp; co,',
    ],
    [
      'a void reason',
      entry('sale.voided', 'sale', '12', USD_SALE, { ...USD_SALE, voided_at: 'x', void_reason: '<@U0BOSS> said so' }),
      ': &lt;@U0BOSS&gt; said so',
    ],
    [
      'a note',
      entry('sale.edited', 'sale', '12', USD_SALE, { ...USD_SALE, note: '<https://evil|click>' }),
      'to “&lt;https://evil|click&gt;”',
    ],
    ['a product name', entry('product.added', 'product', '8', null, { name: '<!here>' }), '*&lt;!here&gt;*'],
    ['a team name', entry('team.created', 'team', '8', null, { name: 'a<b' }), '*a&lt;b*'],
    [
      'a source name as the actor',
      entry('sale.logged', 'sale', '12', null, USD_SALE, 'source:webhook:<!everyone>'),
      'Webhook source `&lt;!everyone&gt;`',
    ],
    ['a file name', entry('sales.imported', 'import', '4', null, { file_name: '<!channel>.csv', added: 1 }), '*&lt;!channel&gt;.csv*'],
  ])('escapes %s', (_name, e, shown) => {
    const line = auditLine(e, CTX);
    expect(line).toContain(shown);
    expect(line).not.toMatch(/<!|<https/);
  });

  it('cuts a long customer to a quote, so one entry stays one line', () => {
    const line = auditLine(entry('sale.logged', 'sale', '12', null, { ...USD_SALE, customer: 'x'.repeat(500) }, 'U0RITA'), CTX);
    expect(line).toBe(`2026-11-26 15:05 · <@U0RITA> logged sale 12: $1,500.00 from ${'x'.repeat(79)}…, closed 2026-11-26`);
  });
});

describe('auditMessage', () => {
  it('says when there is nothing', () => {
    expect(auditMessage([], CTX, 'of sale 4')).toEqual({
      text: 'Nothing in the audit log of sale 4 yet.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Nothing in the audit log of sale 4 yet.' } }],
    });
  });

  it('lists entries under a header, with the timezone and how to narrow it; no inline code around times', () => {
    const message = auditMessage(
      [
        entry('member.manager_granted', 'member', 'U0MAX', null, null, 'U0ADA'),
        entry('product.added', 'product', '7', null, { name: 'widgets' }),
      ],
      CTX,
      'of the workspace',
    );
    expect(message.text).toBe('Audit log of the workspace: 2 entries');
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Audit log of the workspace', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '2026-11-26 15:05 · <@U0ADA> made <@U0MAX> a manager\n2026-11-26 15:05 · <@U0MAX> added the product *widgets*',
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Newest first, times in America/New_York. Narrow it with `/tally audit @rep` or `/tally audit 42` (a sale id).',
          },
        ],
      },
    ]);
  });

  it('splits a long page into sections under Slack’s limit', () => {
    const many = Array.from({ length: 20 }, () =>
      entry('sale.voided', 'sale', '12', USD_SALE, { ...USD_SALE, voided_at: 'x', void_reason: 'r'.repeat(200) }),
    );
    const sections = auditMessage(many, CTX, 'of sale 12').blocks.filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const block of sections) expect((block as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(2900);
    expect(sections.map((b) => (b as { text: { text: string } }).text.text.split('\n').length).reduce((a, b) => a + b)).toBe(20);
  });
});
