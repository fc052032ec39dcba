// The CSV files of `/tally export`: sales.csv and attainment.csv. Pure. csv-stringify quotes
// and escapes; `escape_formulas` puts a `'` before a cell starting with = + - @ (or a tab or
// carriage return), so a customer called `=HYPERLINK(...)` stays text in a spreadsheet.
// Each rep's name and email (from Slack) sit next to their user id; both are empty for a
// person Slack no longer returns. sales.csv imports back with /tally import: its rep is the
// `rep_id` column (csv-import.ts reads the id before the email when a file has both).
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

/** A rep's name and email, as their Slack profile gives them. */
export interface RepProfile {
  name: string;
  email: string;
}

export type RepProfiles = ReadonlyMap<string, RepProfile>;

export const SALES_CSV_HEADER = [
  'id',
  'closed_on',
  'rep_id',
  'rep_name',
  'rep_email',
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
export function salesCsv(sales: readonly ExportedSale[], reps: RepProfiles): string {
  const rows = sales.map((s) => [
    s.id.toString(),
    s.closed_on,
    s.rep_id,
    reps.get(s.rep_id)?.name ?? '',
    reps.get(s.rep_id)?.email ?? '',
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

export const ATTAINMENT_CSV_HEADER = ['rep', 'rep_name', 'rep_email', 'target', 'actual', 'percent', 'pace'] as const;
const PACE_TEXT: Record<PaceStatus, string> = { ahead: 'ahead', on_track: 'on track', behind: 'behind' };

export function attainmentCsv(rows: readonly AttainmentRow[], currency: string, reps: RepProfiles): string {
  const lines = rows.map((r) => [
    r.repId,
    reps.get(r.repId)?.name ?? '',
    reps.get(r.repId)?.email ?? '',
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
