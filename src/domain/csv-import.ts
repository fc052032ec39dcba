// Reading a CSV file of sales or a grid of targets (issue 6): columns found by header, each
// cell read by the same parsers as /logsale, each problem reported with its row number (the
// header is row 1, as in a spreadsheet). Pure: CSV parsing is csv-parse's, the rules that
// need the database (products, locked periods, exchange rates, who the rep is) come later.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { CURRENCY_SYMBOLS, isCurrencyCode, parseAmount } from './money.js';
import { dayjs } from './dayjs.js';
import { parsePeriodKey, type Period } from './periods.js';

/** The most rows one file may hold (header not counted). */
export const MAX_IMPORT_ROWS = 200_000;
/** Longest customer, product and note, as in the Log a sale form. */
export const MAX_CELL = { customer: 200, product: 100, note: 1000 } as const;

/** The text of a CSV file's bytes; anything but UTF-8 is refused with how to save it right. */
export function decodeCsvBytes(bytes: Uint8Array): Parsed<string> {
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return {
      ok: false,
      error: 'The file isn\'t UTF-8 text. In your spreadsheet, save it with File > Save as > "CSV UTF-8" and import that.',
    };
  }
}

export interface CsvTable {
  header: string[];
  /** Data rows that hold anything, with their row number in the file (header = 1). */
  rows: Array<{ row: number; cells: string[] }>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses CSV text: a UTF-8 byte order mark is dropped, the delimiter is the one the header
 * line uses most of comma, semicolon (spreadsheets in many European locales) and tab.
 * Rows may be shorter than the header (missing cells are empty); blank rows are skipped
 * but still counted, so row numbers match the spreadsheet.
 */
export function parseCsv(text: string): Parsed<CsvTable> {
  const withoutBom = text.startsWith('\ufeff') ? text.slice(1) : text;
  let records: string[][];
  try {
    records = parse(withoutBom, {
      delimiter: detectDelimiter(withoutBom),
      relax_column_count: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (error) {
    return {
      ok: false,
      error: `The file isn't valid CSV: ${(error as Error).message}. Save it from your spreadsheet as "CSV UTF-8" and try again.`,
    };
  }
  const [header, ...data] = records;
  if (!header || header.every((cell) => cell.trim() === '')) {
    return { ok: false, error: 'The file is empty: the first row must name the columns, like `date,rep,amount,customer`.' };
  }
  const rows = data.map((cells, i) => ({ row: i + 2, cells })).filter((r) => r.cells.some((cell) => cell.trim() !== ''));
  if (rows.length > MAX_IMPORT_ROWS) {
    return {
      ok: false,
      error: `The file has ${rows.length.toLocaleString('en-US')} rows; one import takes at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')}. Split it into smaller files.`,
    };
  }
  return { ok: true, value: { header: header.map((cell) => cell.trim()), rows } };
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter the first line uses most (outside quotes); a comma when it uses none. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

// ---- sales -------------------------------------------------------------------------------

export type SaleColumn = 'date' | 'rep' | 'amount' | 'currency' | 'customer' | 'product' | 'note';
const REQUIRED: readonly SaleColumn[] = ['date', 'rep', 'amount'];

/** Header names each column is known by, after normalizing (lower case, `_`/`-` as spaces). */
export const SALE_COLUMN_ALIASES: Readonly<Record<SaleColumn, readonly string[]>> = {
  date: ['date', 'closed on', 'close date', 'closed', 'closed date', 'sale date', 'deal date'],
  rep: ['rep', 'rep id', 'rep email', 'email', 'user', 'user id', 'owner', 'sales rep', 'salesperson'],
  amount: ['amount', 'value', 'deal value', 'revenue', 'total'],
  currency: ['currency', 'currency code', 'cur'],
  customer: ['customer', 'client', 'account', 'company'],
  product: ['product', 'product name'],
  note: ['note', 'notes', 'comment', 'comments', 'description'],
};

/**
 * Rep columns that give an email. A file with one of these and another rep column (a Tally
 * export has `rep_id`, `rep_name` and `rep_email`) reads the rep from the other one, and lists
 * the email column as ignored.
 */
const REP_EMAIL_ALIASES: ReadonlySet<string> = new Set(['rep email', 'email']);

export function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

export interface SaleColumns {
  /** Index of each column found in the header. */
  index: Partial<Record<SaleColumn, number>>;
  /** Header names Tally does not read, as written. */
  ignored: string[];
  width: number;
}

export function mapSaleColumns(header: readonly string[]): Parsed<SaleColumns> {
  const index: Partial<Record<SaleColumn, number>> = {};
  const ignored: string[] = [];
  const byAlias = new Map<string, SaleColumn>();
  for (const [column, aliases] of Object.entries(SALE_COLUMN_ALIASES) as Array<[SaleColumn, readonly string[]]>) {
    for (const alias of aliases) byAlias.set(alias, column);
  }
  for (const [i, name] of header.entries()) {
    const column = byAlias.get(normalizeHeader(name));
    if (column === undefined) {
      if (name !== '') ignored.push(name);
      continue;
    }
    const seen = index[column];
    if (
      seen !== undefined &&
      column === 'rep' &&
      REP_EMAIL_ALIASES.has(normalizeHeader(name)) !== REP_EMAIL_ALIASES.has(normalizeHeader(header[seen]!))
    ) {
      // An id column and an email column: the id names the rep.
      const email = REP_EMAIL_ALIASES.has(normalizeHeader(name)) ? i : seen;
      ignored.push(header[email]!);
      index.rep = email === i ? seen : i;
      continue;
    }
    if (seen !== undefined) {
      return { ok: false, error: `Columns \`${header[seen]}\` and \`${name}\` both give the ${column}: keep one of them.` };
    }
    index[column] = i;
  }
  const missing = REQUIRED.filter((column) => index[column] === undefined);
  if (missing.length > 0) {
    const found =
      header
        .filter(Boolean)
        .map((name) => `\`${name}\``)
        .join(', ') || 'none';
    return {
      ok: false,
      error:
        `The file has no ${missing.map((c) => `\`${c}\``).join(', ')} column${missing.length > 1 ? 's' : ''} (found: ${found}). ` +
        'The first row must name the columns: date, rep and amount are required; currency, customer, product and note are optional.',
    };
  }
  return { ok: true, value: { index, ignored, width: header.length } };
}

/** Who a row is for: a Slack user id, or an email to look up in the workspace. */
export type RepRef = { kind: 'id'; id: string } | { kind: 'email'; email: string };

export interface SaleDraft {
  row: number;
  closedOn: string;
  rep: RepRef;
  amountMinor: bigint;
  currency: string;
  customer: string | null;
  productName: string | null;
  note: string | null;
}

export type RowResult<T> = { ok: true; value: T } | { ok: false; row: number; errors: string[] };

/** Reads one data row of a sales file; every problem in it is reported, not only the first. */
export function readSaleRow(row: number, cells: readonly string[], columns: SaleColumns, workspaceCurrency: string): RowResult<SaleDraft> {
  const errors: string[] = [];
  const cell = (column: SaleColumn) => {
    const i = columns.index[column];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  if (cells.length > columns.width) {
    errors.push(
      `it has ${cells.length} cells but the header has ${columns.width}: put values holding the delimiter in quotes, like "1,200".`,
    );
  }

  const closedOn = readDate(cell('date'));
  if (!closedOn.ok) errors.push(closedOn.error);
  const rep = readRep(cell('rep'));
  if (!rep.ok) errors.push(rep.error);

  let currency = cell('currency').toUpperCase() || null;
  if (currency !== null && !isCurrencyCode(currency)) {
    errors.push(
      `currency \`${shown(currency)}\` is not an ISO 4217 code: use one like USD, EUR or GBP, or leave it empty for ${workspaceCurrency}.`,
    );
    currency = null;
  }
  let amountText = cell('amount');
  const symbol = CURRENCY_SYMBOLS[amountText.charAt(0)];
  if (symbol !== undefined) {
    amountText = amountText.slice(1).trim();
    if (currency !== null && currency !== symbol) errors.push(`the amount is in ${symbol} but the currency column says ${currency}.`);
    currency ??= symbol;
  }
  const amount = readAmount(amountText, currency ?? workspaceCurrency);
  if (!amount.ok) errors.push(amount.error);

  const customer = readText(cell('customer'), 'customer', MAX_CELL.customer);
  const product = readText(cell('product').replace(/^#/, ''), 'product', MAX_CELL.product);
  const note = readText(cell('note'), 'note', MAX_CELL.note);
  for (const text of [customer, product, note]) if (!text.ok) errors.push(text.error);

  if (!closedOn.ok || !rep.ok || !amount.ok || !customer.ok || !product.ok || !note.ok || errors.length > 0)
    return { ok: false, row, errors };
  return {
    ok: true,
    value: {
      row,
      closedOn: closedOn.value,
      rep: rep.value,
      amountMinor: amount.value,
      currency: currency ?? workspaceCurrency,
      customer: customer.value,
      productName: product.value,
      note: note.value,
    },
  };
}

function readDate(text: string): Parsed<string> {
  if (text === '') return { ok: false, error: 'the date is empty: write the day the sale closed as YYYY-MM-DD, like 2026-11-05.' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || dayjs.utc(text, 'YYYY-MM-DD').format('YYYY-MM-DD') !== text) {
    return { ok: false, error: `\`${shown(text)}\` is not a date: write it as YYYY-MM-DD, like 2026-11-05.` };
  }
  return { ok: true, value: text };
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** A mention copied out of Slack: `<@U123ABC>` or `<@U123ABC|name>`. */
const USER_MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function readRep(text: string): Parsed<RepRef> {
  if (text === '') return { ok: false, error: 'the rep is empty: give their Slack user id (like U012ABC) or their email.' };
  const id = USER_MENTION.exec(text)?.[1] ?? (USER_ID.test(text) ? text : undefined);
  if (id !== undefined) return { ok: true, value: { kind: 'id', id } };
  if (EMAIL.test(text) && text.length <= 254) return { ok: true, value: { kind: 'email', email: text.toLowerCase() } };
  return { ok: false, error: `rep \`${shown(text)}\` is neither a Slack user id (like U012ABC) nor an email.` };
}

function readAmount(text: string, currency: string): Parsed<bigint> {
  if (text.length > 40) return { ok: false, error: `amount \`${shown(text)}\` is not an amount: write digits, like 1200 or 1,200.50.` };
  const amount = parseAmount(text, currency);
  return amount.ok ? { ok: true, value: amount.minor } : { ok: false, error: amount.error };
}

function readText(text: string, what: string, max: number): Parsed<string | null> {
  if (text.length > max)
    return { ok: false, error: `the ${what} is ${text.length.toLocaleString('en-US')} characters long: at most ${max}.` };
  return { ok: true, value: text || null };
}

/** A cell as quoted in a message: at most 40 characters. */
export function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** What makes two rows the same sale: everything the row says, once the rep is known. */
export interface SaleIdentity {
  closedOn: string;
  repId: string;
  amountMinor: bigint;
  currency: string;
  customer: string | null;
  productName: string | null;
  note: string | null;
}

/**
 * The idempotency key of an imported sale: a hash of the workspace and the row's normalized
 * content, so importing the same file twice adds nothing. `occurrence` counts identical rows
 * within one file (1, 2, ...): two identical deals on one day are two sales, and they keep
 * their keys when the file is imported again.
 */
export function importedSaleKey(teamId: string, sale: SaleIdentity, occurrence: number): string {
  const content = [
    teamId,
    sale.closedOn,
    sale.repId,
    sale.amountMinor.toString(),
    sale.currency,
    sale.customer ?? '',
    sale.productName?.toLowerCase() ?? '',
    sale.note ?? '',
    String(occurrence),
  ];
  return `import:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// ---- targets -----------------------------------------------------------------------------

export interface TargetGrid {
  /** The period of each column after the first, in file order. */
  periods: Period[];
  cells: TargetDraft[];
}

export interface TargetDraft {
  row: number;
  rep: RepRef;
  period: Period;
  amount: bigint;
}

/**
 * Reads a targets grid: the first column names the rep, every other column is a period key
 * (2026-11, 2026-W48, FY2027-Q1, FY2027) and each non-empty cell is that rep's revenue target
 * for that one period, in the workspace currency.
 */
export function readTargetGrid(
  table: CsvTable,
  ctx: { tz: string; fy: number; currency: string },
): { header: Parsed<Period[]>; cells: TargetDraft[]; errors: Array<{ row: number; errors: string[] }> } {
  const header = readPeriodHeader(table.header, ctx);
  if (!header.ok) return { header, cells: [], errors: [] };
  const periods = header.value;
  const cells: TargetDraft[] = [];
  const errors: Array<{ row: number; errors: string[] }> = [];
  const repRows = new Map<string, number>();
  for (const { row, cells: values } of table.rows) {
    const problems: string[] = [];
    const repText = (values[0] ?? '').trim();
    const rep = readRep(repText);
    if (!rep.ok) problems.push(rep.error);
    else {
      const key = rep.value.kind === 'id' ? rep.value.id : rep.value.email;
      const earlier = repRows.get(key);
      if (earlier !== undefined) problems.push(`${shown(repText)} is also on row ${earlier}: give each rep one row.`);
      else repRows.set(key, row);
    }
    if (values.length > periods.length + 1)
      problems.push(
        `it has ${values.length} cells but the header has ${periods.length + 1}: put values holding the delimiter in quotes, like "1,200".`,
      );
    const drafts: TargetDraft[] = [];
    for (const [i, period] of periods.entries()) {
      const text = (values[i + 1] ?? '').trim();
      if (text === '') continue;
      const amount = readAmount(text.replace(/^[$€£¥]/, ''), ctx.currency);
      if (!amount.ok) problems.push(`${period.key}: ${amount.error}`);
      else if (rep.ok) drafts.push({ row, rep: rep.value, period, amount: amount.value });
    }
    if (problems.length > 0) errors.push({ row, errors: problems });
    else cells.push(...drafts);
  }
  return { header, cells, errors };
}

function readPeriodHeader(header: readonly string[], ctx: { tz: string; fy: number }): Parsed<Period[]> {
  const keys = header.slice(1);
  if (keys.length === 0) {
    return { ok: false, error: 'A targets file needs a rep column, then one column per period, like `rep,2026-11,2026-12,FY2027-Q1`.' };
  }
  const periods: Period[] = [];
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const period = parsePeriodKey(key.trim().toUpperCase(), ctx.tz, ctx.fy);
    if (period === null) bad.push(`\`${shown(key)}\``);
    else if (seen.has(period.key)) return { ok: false, error: `The period ${period.key} has two columns: keep one.` };
    else {
      seen.add(period.key);
      periods.push(period);
    }
  }
  if (bad.length > 0) {
    return {
      ok: false,
      error: `${bad.join(', ')} ${bad.length > 1 ? 'are not periods' : 'is not a period'}: after the rep column, name each column by its period, like 2026-11, 2026-W48, FY2027-Q1 or FY2027.`,
    };
  }
  return { ok: true, value: periods };
}
