// The CSV files of /tally export: exact decimal amounts, quoting, formula injection, reps named
// next to their ids, and a round trip through the import parser. Pure.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { attainmentCsv, salesCsv, toCsv, type ExportedSale, type RepProfiles } from '../../src/domain/csv-export.js';
import { mapSaleColumns, parseCsv, readSaleRow } from '../../src/domain/csv-import.js';

const sale: ExportedSale = {
  id: 42n,
  closed_on: '2026-11-05',
  rep_id: 'U0REP1',
  amount_minor: 9_007_199_254_740_993n, // past 2^53: stays exact
  currency: 'USD',
  original_amount_minor: 950n,
  original_currency: 'JPY',
  fx_rate: '0.0066',
  customer: 'Acme, "Inc."',
  product_name: 'widgets',
  note: 'line one\nline two',
  source: 'import',
  created_by: 'U0MANAGER',
  created_at: new Date('2026-11-05T14:30:00.123Z'),
  voided_at: null,
  teams: ['east', 'mid-market'],
};

const REPS: RepProfiles = new Map([
  ['U0REP1', { name: 'Rita Lopez', email: 'rita@example.com' }],
  ['U0REP2', { name: 'Raj, "the closer"', email: '' }],
]);
const HEADER =
  'id,closed_on,rep_id,rep_name,rep_email,amount,currency,original_amount,original_currency,fx_rate,customer,product,note,source,created_by,created_at,voided,teams';
const REST =
  '90071992547409.93,USD,950,JPY,0.0066,"Acme, ""Inc.""",widgets,"line one\nline two",import,U0MANAGER,2026-11-05T14:30:00.123Z,false,east;mid-market';

describe('salesCsv', () => {
  it('writes the header and each sale with exact decimal amounts, quoting what needs it', () => {
    expect(salesCsv([sale], REPS)).toBe(`${HEADER}\r\n42,2026-11-05,U0REP1,Rita Lopez,rita@example.com,${REST}\r\n`);
  });

  it.each([
    ['a rep with a name and an email', 'U0REP1', 'U0REP1,Rita Lopez,rita@example.com'],
    ['a name to quote, and no email in the profile', 'U0REP2', 'U0REP2,"Raj, ""the closer""",'],
    ['a rep Slack did not return: empty cells, the row still written', 'U0GONE', 'U0GONE,,'],
  ])('names %s next to the id', (_name, repId, cells) => {
    expect(salesCsv([{ ...sale, rep_id: repId }], REPS).split('\r\n')[1]).toBe(`42,2026-11-05,${cells},${REST}`);
  });

  it('defuses a rep name or email that a spreadsheet would run', () => {
    const reps: RepProfiles = new Map([['U0REP1', { name: '=cmd|calc', email: '@x.example' }]]);
    expect(salesCsv([sale], reps).split('\r\n')[1]).toBe(`42,2026-11-05,U0REP1,'=cmd|calc,'@x.example,${REST}`);
  });

  it('marks voided sales and leaves empty cells for missing values', () => {
    const csv = salesCsv(
      [
        {
          ...sale,
          customer: null,
          product_name: null,
          note: null,
          fx_rate: null,
          voided_at: new Date(),
          amount_minor: 5n,
          original_amount_minor: 5n,
          original_currency: 'USD',
          teams: [],
        },
      ],
      REPS,
    );
    expect(csv.split('\r\n')[1]).toBe(
      '42,2026-11-05,U0REP1,Rita Lopez,rita@example.com,0.05,USD,0.05,USD,,,,,import,U0MANAGER,2026-11-05T14:30:00.123Z,true,',
    );
  });

  it('is only a header when there are no sales', () => {
    expect(salesCsv([], REPS)).toBe(`${HEADER}\r\n`);
  });

  // A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection).
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['Acme = best', 'Acme = best'],
    ['a-b', 'a-b'],
  ])('defuses a customer called %j', (customer, cell) => {
    const line = salesCsv([{ ...sale, customer, note: null }], REPS).split('\r\n')[1]!;
    expect(line).toContain(`,${cell},widgets,`);
    // Read back, the cell is the text with a leading quote: a spreadsheet shows it, never runs it.
    const [, record] = parse(salesCsv([{ ...sale, customer, note: null }], REPS)) as string[][];
    expect(record![10]).toBe(/^[=+\-@\t\r]/.test(customer) ? `'${customer}` : customer);
  });

  it('imports back: the rep from rep_id, the same date, amount, currency, customer, product and note', () => {
    const exported = { ...sale, amount_minor: 120_050n, original_amount_minor: 120_050n, original_currency: 'USD', fx_rate: null };
    const table = parseCsv(
      salesCsv([exported, { ...exported, id: 43n, rep_id: 'U0GONE', customer: null, product_name: null, note: null }], REPS),
    );
    if (!table.ok) throw new Error(table.error);
    const mapped = mapSaleColumns(table.value.header);
    if (!mapped.ok) throw new Error(mapped.error);
    expect(mapped.value.ignored).toEqual([
      'id',
      'rep_name',
      'rep_email',
      'original_amount',
      'original_currency',
      'fx_rate',
      'source',
      'created_by',
      'created_at',
      'voided',
      'teams',
    ]);
    expect(table.value.rows.map(({ row, cells }) => readSaleRow(row, cells, mapped.value, 'USD'))).toEqual([
      {
        ok: true,
        value: {
          row: 2,
          closedOn: '2026-11-05',
          rep: { kind: 'id', id: 'U0REP1' },
          amountMinor: 120_050n,
          currency: 'USD',
          customer: 'Acme, "Inc."',
          productName: 'widgets',
          note: 'line one\nline two',
        },
      },
      {
        ok: true,
        value: {
          row: 3,
          closedOn: '2026-11-05',
          rep: { kind: 'id', id: 'U0GONE' },
          amountMinor: 120_050n,
          currency: 'USD',
          customer: null,
          productName: null,
          note: null,
        },
      },
    ]);
  });
});

describe('attainmentCsv', () => {
  it('writes rep, their name and email, target, actual, percent and pace; empty cells without a target or a profile', () => {
    expect(
      attainmentCsv(
        [
          { repId: 'U0REP1', target: 1_000_000n, actual: 1_250_050n, percent: 125, pace: 'ahead' },
          { repId: 'U0REP2', target: 1_000_000n, actual: 875_000n, percent: 87.5, pace: 'on_track' },
          { repId: 'U0REP3', target: null, actual: 10_000n, percent: null, pace: null },
        ],
        'USD',
        REPS,
      ),
    ).toBe(
      'rep,rep_name,rep_email,target,actual,percent,pace\r\n' +
        'U0REP1,Rita Lopez,rita@example.com,10000.00,12500.50,125.0,ahead\r\n' +
        'U0REP2,"Raj, ""the closer""",,10000.00,8750.00,87.5,on track\r\n' +
        'U0REP3,,,,100.00,,\r\n',
    );
  });

  it('uses the currency minor digits (JPY has none)', () => {
    expect(attainmentCsv([{ repId: 'U1', target: 5000n, actual: 1200n, percent: 24, pace: 'behind' }], 'JPY', new Map())).toBe(
      'rep,rep_name,rep_email,target,actual,percent,pace\r\nU1,,,5000,1200,24.0,behind\r\n',
    );
  });
});

describe('toCsv', () => {
  it('quotes a 10,000-character cell with a comma whole', () => {
    const long = `${'x'.repeat(9_999)},`;
    const [[cell]] = parse(toCsv([[long]])) as [[string]];
    expect(cell).toBe(long);
  });
});
