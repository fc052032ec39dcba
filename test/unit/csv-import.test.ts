// Reading CSV files of sales and targets: header mapping, every bad cell and its message,
// delimiters, quoting, BOM, long cells. Pure: no database, no Slack.
import { describe, expect, it } from 'vitest';
import {
  decodeCsvBytes,
  detectDelimiter,
  importedSaleKey,
  mapSaleColumns,
  parseCsv,
  readRep,
  readSaleRow,
  readTargetGrid,
  type SaleColumns,
} from '../../src/domain/csv-import.js';

function table(text: string) {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function columns(header: string[]): SaleColumns {
  const mapped = mapSaleColumns(header);
  if (!mapped.ok) throw new Error(mapped.error);
  return mapped.value;
}

const HEADER = ['date', 'rep', 'amount', 'currency', 'customer', 'product', 'note'];
const row = (cells: Partial<Record<(typeof HEADER)[number], string>>) => HEADER.map((h) => cells[h] ?? '');
const good = { date: '2026-11-05', rep: 'U0REP1', amount: '1,200.50' };

describe('parseCsv', () => {
  it('reads a header and rows, numbering rows from the header (row 1) and skipping blank rows', () => {
    const t = table('date,rep,amount\n2026-11-01,U0REP1,100\n\n,,\n2026-11-02,U0REP2,200\n');
    expect(t.header).toEqual(['date', 'rep', 'amount']);
    expect(t.rows).toEqual([
      { row: 2, cells: ['2026-11-01', 'U0REP1', '100'] },
      { row: 5, cells: ['2026-11-02', 'U0REP2', '200'] },
    ]);
  });

  it('drops a UTF-8 byte order mark, so the first column is still found', () => {
    const t = table('\ufeffdate,rep,amount\r\n2026-11-01,U0REP1,100\r\n');
    expect(t.header[0]).toBe('date');
    expect(mapSaleColumns(t.header).ok).toBe(true);
  });

  it('keeps quoted commas, quotes and line breaks inside a cell, and counts the row once', () => {
    const t = table(
      'date,rep,amount,customer,note\n2026-11-01,U0REP1,"1,200","Acme, Inc.","said ""hi""\nthen left"\n2026-11-02,U0REP1,5,B,\n',
    );
    expect(t.rows[0]!.cells).toEqual(['2026-11-01', 'U0REP1', '1,200', 'Acme, Inc.', 'said "hi"\nthen left']);
    expect(t.rows[1]!.row).toBe(3);
  });

  it.each([
    ['semicolons (spreadsheets in European locales)', 'date;rep;amount;customer\n2026-11-01;U0REP1;1,200;Acme\n', ';'],
    ['tabs', 'date\trep\tamount\n2026-11-01\tU0REP1\t1200\n', '\t'],
    ['commas', 'date,rep,amount\n2026-11-01,U0REP1,1200\n', ','],
  ])('detects %s from the header line', (_name, text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
    expect(table(text).rows[0]!.cells[1]).toBe('U0REP1');
  });

  it('reads "1,200" unquoted in a semicolon file as one amount', () => {
    const t = table('date;rep;amount\n2026-11-01;U0REP1;1,200\n');
    expect(t.rows[0]!.cells).toEqual(['2026-11-01', 'U0REP1', '1,200']);
  });

  it.each([
    ['an empty file', '', 'The file is empty'],
    ['a file of blank lines', '\n\n', 'The file is empty'],
    ['an unclosed quote', 'date,rep,amount\n2026-11-01,U0REP1,"1200\n', "isn't valid CSV: Quote Not Closed"],
    ['a quote inside a bare cell', 'date,rep,amount\n2026-11-01,U0REP1,12"00"\n', "isn't valid CSV"],
  ])('refuses %s', (_name, text, expected) => {
    const parsed = parseCsv(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(expected);
  });

  it('reads a 10,000-character cell whole (the row check then refuses it)', () => {
    const long = 'x'.repeat(10_000);
    const t = table(`date,rep,amount,customer\n2026-11-01,U0REP1,100,"${long}"\n`);
    expect(t.rows[0]!.cells[3]).toHaveLength(10_000);
  });

  it('decodes UTF-8 and refuses other encodings with how to save the file', () => {
    expect(decodeCsvBytes(new TextEncoder().encode('customer\nMüller'))).toEqual({ ok: true, value: 'customer\nMüller' });
    const latin1 = Uint8Array.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]); // "Müller" in Windows-1252
    expect(decodeCsvBytes(latin1)).toMatchObject({ ok: false, error: expect.stringContaining('CSV UTF-8') });
  });
});

describe('mapSaleColumns', () => {
  it.each([
    [['date', 'rep', 'amount'], { date: 0, rep: 1, amount: 2 }],
    [
      ['Closed On', 'Rep Email', 'AMOUNT', 'Currency', 'Client', 'Product Name', 'Notes'],
      { date: 0, rep: 1, amount: 2, currency: 3, customer: 4, product: 5, note: 6 },
    ],
    [['closed_on', 'rep_id', 'value'], { date: 0, rep: 1, amount: 2 }],
    [['  deal-date ', 'email', 'revenue', 'account'], { date: 0, rep: 1, amount: 2, customer: 3 }],
  ])('maps %j case-insensitively, with aliases', (header, index) => {
    expect(columns(header).index).toEqual(index);
  });

  it('lists unknown columns as ignored', () => {
    const mapped = columns(['id', 'date', 'rep', 'amount', 'Region', '']);
    expect(mapped.ignored).toEqual(['id', 'Region']);
    expect(mapped.index).toEqual({ date: 1, rep: 2, amount: 3 });
  });

  it.each([
    [['customer', 'amount'], 'no `date`, `rep` columns'],
    [['date', 'rep', 'customer'], 'no `amount` column (found: `date`, `rep`, `customer`)'],
    [['Datum', 'Vertreter', 'Betrag'], 'no `date`, `rep`, `amount` columns'],
  ])('names the missing required columns of %j', (header, expected) => {
    const mapped = mapSaleColumns(header);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.error).toContain(expected);
  });

  it('refuses two columns that mean the same', () => {
    const mapped = mapSaleColumns(['date', 'closed_on', 'rep', 'amount']);
    expect(mapped).toMatchObject({ ok: false, error: expect.stringContaining('Columns `date` and `closed_on` both give the date') });
  });

  // A Tally export names each rep by id, name and email: the id is the rep, the email is ignored.
  it.each([
    [['closed_on', 'rep_id', 'rep_name', 'rep_email', 'amount'], 1, ['rep_name', 'rep_email']],
    [['Email', 'date', 'Rep', 'amount'], 2, ['Email']],
    [['date', 'user id', 'amount', 'rep-email'], 1, ['rep-email']],
  ])('reads the rep from the id column of %j when an email column is there too', (header, rep, ignored) => {
    const mapped = columns(header);
    expect(mapped.index.rep).toBe(rep);
    expect(mapped.ignored).toEqual(ignored);
  });

  it.each([
    [['date', 'rep_id', 'owner', 'amount'], 'Columns `rep_id` and `owner` both give the rep'],
    [['date', 'email', 'rep_email', 'amount'], 'Columns `email` and `rep_email` both give the rep'],
    [['date', 'rep_id', 'rep_email', 'user', 'amount'], 'Columns `rep_id` and `user` both give the rep'],
  ])('still refuses two rep columns of one kind in %j', (header, error) => {
    expect(mapSaleColumns(header)).toEqual({ ok: false, error: expect.stringContaining(error) });
  });
});

describe('readSaleRow', () => {
  const cols = columns(HEADER);

  it('reads a good row with the workspace currency by default', () => {
    expect(readSaleRow(2, row({ ...good, customer: ' Acme ', product: '#Widgets', note: 'first deal' }), cols, 'USD')).toEqual({
      ok: true,
      value: {
        row: 2,
        closedOn: '2026-11-05',
        rep: { kind: 'id', id: 'U0REP1' },
        amountMinor: 120050n,
        currency: 'USD',
        customer: 'Acme',
        productName: 'Widgets',
        note: 'first deal',
      },
    });
  });

  it.each([
    [
      { currency: 'eur', amount: '950' },
      { currency: 'EUR', amountMinor: 95000n },
    ],
    [
      { currency: 'JPY', amount: '1200' },
      { currency: 'JPY', amountMinor: 1200n },
    ],
    [{ amount: '€950' }, { currency: 'EUR', amountMinor: 95000n }],
    [{ amount: '$12.5k' }, { currency: 'USD', amountMinor: 1250000n }],
    [{ amount: '1.2m' }, { amountMinor: 120000000n }],
    [{ rep: '<@U0REP2|raj>' }, { rep: { kind: 'id', id: 'U0REP2' } }],
    [{ rep: 'Rita@Example.com' }, { rep: { kind: 'email', email: 'rita@example.com' } }],
    [{ customer: '=HYPERLINK("x")' }, { customer: '=HYPERLINK("x")' }],
  ])('reads %j', (cells, expected) => {
    const read = readSaleRow(3, row({ ...good, ...cells }), cols, 'USD');
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.value).toMatchObject(expected);
  });

  // Each bad cell gives the row error that says what to write instead.
  it.each([
    ["{ date: '' }", { date: '' }, 'the date is empty: write the day the sale closed as YYYY-MM-DD, like 2026-11-05.'],
    ["{ date: '11/05/2026' }", { date: '11/05/2026' }, '`11/05/2026` is not a date: write it as YYYY-MM-DD, like 2026-11-05.'],
    ["{ date: '2026-02-30' }", { date: '2026-02-30' }, '`2026-02-30` is not a date'],
    ["{ rep: '' }", { rep: '' }, 'the rep is empty: give their Slack user id (like U012ABC) or their email.'],
    ["{ rep: 'rita' }", { rep: 'rita' }, 'rep `rita` is neither a Slack user id (like U012ABC) nor an email.'],
    ["{ amount: '' }", { amount: '' }, 'Type an amount'],
    ["{ amount: 'abc' }", { amount: 'abc' }, '`abc` is not an amount'],
    ["{ amount: '-5' }", { amount: '-5' }, 'is negative'],
    ["{ amount: '0' }", { amount: '0' }, 'is zero'],
    ["{ amount: '12.345' }", { amount: '12.345' }, 'has more decimals than USD allows (2)'],
    ["{ amount: '1000000001' }", { amount: '1000000001' }, 'over the maximum'],
    ["{ amount: '1,20' }", { amount: '1,20' }, 'misplaced comma'],
    ["{ amount: '12.5', currency: 'JPY' }", { amount: '12.5', currency: 'JPY' }, 'more decimals than JPY allows (0)'],
    ["{ currency: 'XYZ' }", { currency: 'XYZ' }, 'currency `XYZ` is not an ISO 4217 code'],
    ["{ currency: 'EUR', amount: '$100' }", { currency: 'EUR', amount: '$100' }, 'the amount is in USD but the currency column says EUR.'],
    ['{ customer: c x 10_000 }', { customer: 'c'.repeat(10_000) }, 'the customer is 10,000 characters long: at most 200.'],
    ['{ product: p x 101 }', { product: 'p'.repeat(101) }, 'the product is 101 characters long: at most 100.'],
    ['{ note: n x 1001 }', { note: 'n'.repeat(1001) }, 'the note is 1,001 characters long: at most 1000.'],
    ['{ amount: 9 x 10_000 }', { amount: '9'.repeat(10_000) }, 'is not an amount'],
  ])('refuses %s', (_label, cells, expected) => {
    const read = readSaleRow(7, row({ ...good, ...cells }), cols, 'USD');
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.row).toBe(7);
      expect(read.errors.join(' ')).toContain(expected);
      // A long cell is quoted short, so the report stays readable.
      expect(read.errors.join(' ').length).toBeLessThan(400);
    }
  });

  it('reports every problem of a row, not only the first', () => {
    const read = readSaleRow(4, row({ date: 'soon', rep: 'nobody', amount: 'lots' }), cols, 'USD');
    expect(read).toMatchObject({
      ok: false,
      errors: [
        expect.stringContaining('`soon` is not a date'),
        expect.stringContaining('rep `nobody`'),
        expect.stringContaining('`lots` is not an amount'),
      ],
    });
  });

  it('refuses a row with more cells than the header (an unquoted comma)', () => {
    const cols3 = columns(['date', 'rep', 'amount', 'customer']);
    const read = readSaleRow(2, ['2026-11-01', 'U0REP1', '1', '200', 'Acme'], cols3, 'USD');
    expect(read).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('it has 5 cells but the header has 4: put values holding the delimiter in quotes')],
    });
  });

  it('reads a short row: missing optional cells are empty', () => {
    const read = readSaleRow(2, ['2026-11-01', 'U0REP1', '100'], cols, 'USD');
    expect(read).toMatchObject({ ok: true, value: { customer: null, productName: null, note: null, currency: 'USD' } });
  });
});

describe('readRep', () => {
  it.each([
    ['U012ABC', { kind: 'id', id: 'U012ABC' }],
    ['W0ENTERPRISE', { kind: 'id', id: 'W0ENTERPRISE' }],
    ['<@U012ABC>', { kind: 'id', id: 'U012ABC' }],
    ['ann.lee+sales@example.co.uk', { kind: 'email', email: 'ann.lee+sales@example.co.uk' }],
  ])('reads %j', (text, value) => {
    expect(readRep(text)).toEqual({ ok: true, value });
  });

  it.each(['u012abc', 'ann@', '@ann', 'Ann Lee', '<!channel>'])('refuses %j', (text) => {
    expect(readRep(text).ok).toBe(false);
  });
});

describe('importedSaleKey', () => {
  const sale = {
    closedOn: '2026-11-05',
    repId: 'U0REP1',
    amountMinor: 120050n,
    currency: 'USD',
    customer: 'Acme',
    productName: 'Widgets',
    note: null,
  };

  it('is the same for the same content, so a re-import adds nothing', () => {
    expect(importedSaleKey('T1', sale, 1)).toBe(importedSaleKey('T1', { ...sale }, 1));
    expect(importedSaleKey('T1', sale, 1)).toMatch(/^import:[0-9a-f]{64}$/);
  });

  it('ignores the case of the product name (the catalogue matches it that way)', () => {
    expect(importedSaleKey('T1', { ...sale, productName: 'WIDGETS' }, 1)).toBe(importedSaleKey('T1', sale, 1));
  });

  it.each([
    ['workspace', 'T2', sale, 1],
    ['date', 'T1', { ...sale, closedOn: '2026-11-06' }, 1],
    ['rep', 'T1', { ...sale, repId: 'U0REP2' }, 1],
    ['amount', 'T1', { ...sale, amountMinor: 120051n }, 1],
    ['currency', 'T1', { ...sale, currency: 'EUR' }, 1],
    ['customer', 'T1', { ...sale, customer: 'Acme2' }, 1],
    ['note', 'T1', { ...sale, note: 'x' }, 1],
    ['occurrence (a second identical row)', 'T1', sale, 2],
  ] as const)('differs with the %s', (_what, team, other, occurrence) => {
    expect(importedSaleKey(team, other, occurrence)).not.toBe(importedSaleKey('T1', sale, 1));
  });

  it('cannot be fooled by a delimiter inside a cell', () => {
    const a = importedSaleKey('T1', { ...sale, customer: 'a|b', note: 'c' }, 1);
    const b = importedSaleKey('T1', { ...sale, customer: 'a', note: 'b|c' }, 1);
    expect(a).not.toBe(b);
  });
});

describe('readTargetGrid', () => {
  const ctx = { tz: 'America/New_York', fy: 4, currency: 'USD' };

  it('reads one target per non-empty cell, for the period its column names', () => {
    const grid = readTargetGrid(
      table('rep,2026-11,2026-12,fy2027-q4,2026-W48,FY2027\nU0REP1,50k,"60,000",,1000,\nann@example.com,,45000.50,150000,,600k\n'),
      ctx,
    );
    expect(grid.header.ok).toBe(true);
    expect(grid.errors).toEqual([]);
    expect(grid.cells.map((c) => [c.row, c.rep, c.period.key, c.period.startDate, c.amount])).toEqual([
      [2, { kind: 'id', id: 'U0REP1' }, '2026-11', '2026-11-01', 5000000n],
      [2, { kind: 'id', id: 'U0REP1' }, '2026-12', '2026-12-01', 6000000n],
      [2, { kind: 'id', id: 'U0REP1' }, '2026-W48', '2026-11-23', 100000n],
      [3, { kind: 'email', email: 'ann@example.com' }, '2026-12', '2026-12-01', 4500050n],
      [3, { kind: 'email', email: 'ann@example.com' }, 'FY2027-Q4', '2027-01-01', 15000000n],
      [3, { kind: 'email', email: 'ann@example.com' }, 'FY2027', '2026-04-01', 60000000n],
    ]);
  });

  it.each([
    ['rep\n', 'needs a rep column, then one column per period'],
    ['rep,Nov 2026,2026-13\n', '`Nov 2026`, `2026-13` are not periods'],
    ['rep,2026-11,2026-11\n', 'The period 2026-11 has two columns'],
  ])('refuses the header of %j', (text, expected) => {
    const grid = readTargetGrid(table(text), ctx);
    expect(grid.header).toMatchObject({ ok: false, error: expect.stringContaining(expected) });
  });

  it('reports bad cells and repeated reps with their row numbers, and keeps no cell of a bad row', () => {
    const grid = readTargetGrid(table('rep,2026-11,2026-12\nU0REP1,abc,100\nnobody,100,\nU0REP1,5,5\nU0REP2,100,-5\n'), ctx);
    expect(grid.errors).toEqual([
      { row: 2, errors: ['2026-11: `abc` is not an amount. Type digits, like `1200`, `1,200.50` or `12.5k`.'] },
      { row: 3, errors: [expect.stringContaining('rep `nobody` is neither')] },
      { row: 4, errors: ['U0REP1 is also on row 2: give each rep one row.'] },
      { row: 5, errors: [expect.stringContaining('2026-12: `-5` is negative')] },
    ]);
    expect(grid.cells).toEqual([]);
  });
});
