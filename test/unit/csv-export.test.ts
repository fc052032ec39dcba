// The CSV files of /tally export: exact decimal amounts, quoting, formula injection, and a
// round trip through the import parser. Pure.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { attainmentCsv, salesCsv, toCsv, type ExportedSale } from '../../src/domain/csv-export.js';
import { parseCsv } from '../../src/domain/csv-import.js';

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

describe('salesCsv', () => {
  it('writes the header and each sale with exact decimal amounts, quoting what needs it', () => {
    expect(salesCsv([sale])).toBe(
      'id,closed_on,rep_id,amount,currency,original_amount,original_currency,fx_rate,customer,product,note,source,created_by,created_at,voided,teams\r\n' +
        '42,2026-11-05,U0REP1,90071992547409.93,USD,950,JPY,0.0066,"Acme, ""Inc.""",widgets,"line one\nline two",import,U0MANAGER,2026-11-05T14:30:00.123Z,false,east;mid-market\r\n',
    );
  });

  it('marks voided sales and leaves empty cells for missing values', () => {
    const csv = salesCsv([{ ...sale, customer: null, product_name: null, note: null, fx_rate: null, voided_at: new Date(), amount_minor: 5n, original_amount_minor: 5n, original_currency: 'USD', teams: [] }]);
    expect(csv.split('\r\n')[1]).toBe('42,2026-11-05,U0REP1,0.05,USD,0.05,USD,,,,,import,U0MANAGER,2026-11-05T14:30:00.123Z,true,');
  });

  it('is only a header when there are no sales', () => {
    expect(salesCsv([])).toBe('id,closed_on,rep_id,amount,currency,original_amount,original_currency,fx_rate,customer,product,note,source,created_by,created_at,voided,teams\r\n');
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
    const line = salesCsv([{ ...sale, customer, note: null }]).split('\r\n')[1]!;
    expect(line).toContain(`,${cell},widgets,`);
    // Read back, the cell is the text with a leading quote: a spreadsheet shows it, never runs it.
    const [, record] = parse(salesCsv([{ ...sale, customer, note: null }])) as string[][];
    expect(record![8]).toBe(/^[=+\-@\t\r]/.test(customer) ? `'${customer}` : customer);
  });

  it('is read back by the import parser with the columns an import maps', () => {
    const table = parseCsv(salesCsv([sale]));
    expect(table.ok).toBe(true);
    if (table.ok) {
      expect(table.value.header).toContain('closed_on');
      expect(table.value.rows[0]!.cells[8]).toBe('Acme, "Inc."');
      expect(table.value.rows[0]!.cells[10]).toBe('line one\nline two');
    }
  });
});

describe('attainmentCsv', () => {
  it('writes rep, target, actual, percent and pace; empty cells without a target', () => {
    expect(
      attainmentCsv(
        [
          { repId: 'U0REP1', target: 1_000_000n, actual: 1_250_050n, percent: 125, pace: 'ahead' },
          { repId: 'U0REP2', target: 1_000_000n, actual: 875_000n, percent: 87.5, pace: 'on_track' },
          { repId: 'U0REP3', target: null, actual: 10_000n, percent: null, pace: null },
        ],
        'USD',
      ),
    ).toBe('rep,target,actual,percent,pace\r\nU0REP1,10000.00,12500.50,125.0,ahead\r\nU0REP2,10000.00,8750.00,87.5,on track\r\nU0REP3,,100.00,,\r\n');
  });

  it('uses the currency minor digits (JPY has none)', () => {
    expect(attainmentCsv([{ repId: 'U1', target: 5000n, actual: 1200n, percent: 24, pace: 'behind' }], 'JPY')).toBe('rep,target,actual,percent,pace\r\nU1,5000,1200,24.0,behind\r\n');
  });
});

describe('toCsv', () => {
  it('quotes a 10,000-character cell with a comma whole', () => {
    const long = `${'x'.repeat(9_999)},`;
    const [[cell]] = parse(toCsv([[long]])) as [[string]];
    expect(cell).toBe(long);
  });
});
