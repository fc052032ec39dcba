// The CSV files of `/tally export`: sales.csv and attainment.csv. Pure. csv-stringify quotes
// and escapes; `escape_formulas` puts a `'` before a cell starting with = + - @ (or a tab or
// carriage return), so a customer called `=HYPERLINK(...)` stays text in a spreadsheet.
import { stringify } from 'csv-stringify/sync';
import { toMajorString } from './money.js';
import type { PaceStatus } from './pace.js';

export interface ExportedSale {
  id: bigint;
  closed_on: string;
  rep_id: string;
  amount_minor: bigint;
  currency: string;
  original_amount_minor: bigint;
  original_currency: string;
  fx_rate: string | null;
  customer: string | null;
  product_name: string | null;
  note: string | null;
  source: string;
  created_by: string;
  created_at: Date;
  voided_at: Date | null;
  /** The sales teams its rep was in on its close date, by name: the teams it counts for. */
  teams: readonly string[];
}

export const SALES_CSV_HEADER = [
  'id',
  'closed_on',
  'rep_id',
  'amount',
  'currency',
  'original_amount',
  'original_currency',
  'fx_rate',
  'customer',
  'product',
  'note',
  'source',
  'created_by',
  'created_at',
  'voided',
  'teams',
] as const;

/** Amounts are exact decimal strings in major units (1200.50), never floats. */
export function salesCsv(sales: readonly ExportedSale[]): string {
  const rows = sales.map((s) => [
    s.id.toString(),
    s.closed_on,
    s.rep_id,
    toMajorString(s.amount_minor, s.currency),
    s.currency,
    toMajorString(s.original_amount_minor, s.original_currency),
    s.original_currency,
    s.fx_rate ?? '',
    s.customer ?? '',
    s.product_name ?? '',
    s.note ?? '',
    s.source,
    s.created_by,
    s.created_at.toISOString(),
    s.voided_at ? 'true' : 'false',
    s.teams.join(';'),
  ]);
  return toCsv([[...SALES_CSV_HEADER], ...rows]);
}

export interface AttainmentRow {
  repId: string;
  target: bigint | null;
  actual: bigint;
  percent: number | null;
  pace: PaceStatus | null;
}

export const ATTAINMENT_CSV_HEADER = ['rep', 'target', 'actual', 'percent', 'pace'] as const;
const PACE_TEXT: Record<PaceStatus, string> = { ahead: 'ahead', on_track: 'on track', behind: 'behind' };

export function attainmentCsv(rows: readonly AttainmentRow[], currency: string): string {
  const lines = rows.map((r) => [
    r.repId,
    r.target === null ? '' : toMajorString(r.target, currency),
    toMajorString(r.actual, currency),
    r.percent === null ? '' : r.percent.toFixed(1),
    r.pace === null ? '' : PACE_TEXT[r.pace],
  ]);
  return toCsv([[...ATTAINMENT_CSV_HEADER], ...lines]);
}

/** RFC 4180 CSV with CRLF line ends, as spreadsheets expect, and formula cells defused. */
export function toCsv(rows: ReadonlyArray<readonly string[]>): string {
  return stringify(rows as string[][], { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true });
}
