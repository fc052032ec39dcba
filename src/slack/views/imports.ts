// The import modal, the dry-run report with its "Import N sales" button, the outcome of the
// commit, and the export notices. Pure. File names, column names and cells come from the
// file, so every piece of them is escaped.
import type { types } from '@slack/bolt';
import type { ImportKind } from '../../db/schema.js';
import { formatMoney } from '../../domain/money.js';
import type { Period } from '../../domain/periods.js';
import { escapeSlackText } from '../../domain/slack-text.js';
import { problemText, type ImportReport } from '../../services/imports.js';
import { ACTIONS, IMPORT_FIELDS, VIEWS } from '../ids.js';
import { button, context, plainText, section, type Block, type SlackMessage } from './blocks.js';
import { describePeriod } from './format.js';

export interface ImportModalContext {
  kind: ImportKind;
  /** Where /tally import was typed; the report goes to the person's DM with Tally. */
  channelId: string | null;
  currency: string;
}

export function importModal(ctx: ImportModalContext): types.ModalView {
  const explanation =
    ctx.kind === 'sales'
      ? 'Upload a CSV file whose first row names the columns.\n' +
        '*Required:* `date` (YYYY-MM-DD), `rep` (a Slack user id like U012ABC, or their email), `amount` (like 1200 or 1,200.50).\n' +
        `*Optional:* \`currency\` (default ${ctx.currency}), \`customer\`, \`product\` (from the catalogue), \`note\`. Other columns are ignored.`
      : 'Upload a CSV grid: the first column names the rep (a Slack user id or email), every other column is a period such as ' +
        `\`2026-11\`, \`2026-W48\`, \`FY2027-Q1\` or \`FY2027\`. Each cell is that rep's revenue target for that period, in ${ctx.currency}; leave a cell empty to skip it.`;
  return {
    type: 'modal',
    callback_id: VIEWS.importFile,
    private_metadata: JSON.stringify({ kind: ctx.kind, channelId: ctx.channelId }),
    title: plainText(ctx.kind === 'sales' ? 'Import sales' : 'Import targets'),
    submit: plainText('Check file'),
    close: plainText('Cancel'),
    blocks: [
      section(explanation),
      {
        type: 'input',
        block_id: IMPORT_FIELDS.file,
        label: plainText('CSV file'),
        element: { type: 'file_input', action_id: IMPORT_FIELDS.file, filetypes: ['csv'], max_files: 1 },
      },
      context(
        'Tally checks every row first and sends you a report in your DM; nothing is saved until you press *Import* there. Importing the same file again adds nothing.',
      ),
    ],
  };
}

/** Problems listed in one message; the rest are counted. */
export const MAX_PROBLEMS_SHOWN = 20;
const MAX_LINE = 280;
const MAX_SECTION = 2900;

const NOUN: Record<ImportKind, [string, string]> = { sales: ['sale', 'sales'], targets: ['target', 'targets'] };

function count(n: number, kind: ImportKind): string {
  return `${n.toLocaleString('en-US')} ${NOUN[kind][n === 1 ? 0 : 1]}`;
}

/** The dry run's report: what would be imported, or every problem to fix first. */
export function importReportMessage(report: ImportReport): SlackMessage {
  const file = `*${escapeSlackText(report.fileName)}*`;
  const blocks: Block[] = [];
  let text: string;
  switch (report.outcome) {
    case 'ready': {
      const already = report.existingCount > 0 ? ` (${alreadyText(report)})` : '';
      text = `${file} is ready: ${count(report.newCount, report.kind)} to import, totalling ${formatMoney(report.newAmountMinor, report.currency)}${already}. Nothing is saved until you press Import.`;
      blocks.push(section(`:white_check_mark: ${text}`));
      blocks.push({
        type: 'actions',
        block_id: 'import',
        elements: [
          button(`Import ${count(report.newCount, report.kind)}`, ACTIONS.commitImport, String(report.importId), { style: 'primary' }),
        ],
      });
      break;
    }
    case 'nothing_new':
      text = `Nothing new in ${file}: ${report.kind === 'sales' ? `all ${count(report.existingCount, 'sales')} were already imported` : `all ${count(report.existingCount, 'targets')} are already set to those amounts`}.`;
      blocks.push(section(`:information_source: ${text}`));
      break;
    default:
      return problemsMessage(report, 'Nothing was imported.');
  }
  blocks.push(...footer(report));
  return { text: text.replaceAll('*', ''), blocks };
}

/** What the commit did. */
export function importCommittedMessage(report: ImportReport): SlackMessage {
  const file = `*${escapeSlackText(report.fileName)}*`;
  let text: string;
  switch (report.outcome) {
    case 'committed': {
      const already = report.existingCount > 0 ? ` ${alreadyText(report, true)}.` : '';
      text = `:inbox_tray: Imported ${count(report.newCount, report.kind)} from ${file}, totalling ${formatMoney(report.newAmountMinor, report.currency)}.${already}`;
      break;
    }
    case 'already_committed':
      text = `${file} was already imported (${count(report.newCount, report.kind)} added then); nothing changed.`;
      break;
    case 'invalid':
      return problemsMessage(report, 'Nothing was imported: the file no longer passes the checks.');
    default:
      text = `Nothing new in ${file}; nothing changed.`;
  }
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}

function alreadyText(report: ImportReport, sentence = false): string {
  const what = report.kind === 'sales' ? 'already imported' : 'already set to that amount';
  const n = report.existingCount;
  const text = `${n.toLocaleString('en-US')} ${n === 1 ? 'was' : 'were'} ${what}`;
  return sentence ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function problemsMessage(report: ImportReport, lead: string): SlackMessage {
  const file = `*${escapeSlackText(report.fileName)}*`;
  if (report.fileError !== null) {
    const text = `:warning: ${file} can't be imported: ${escapeSlackText(report.fileError)} ${lead}`;
    return { text: text.replaceAll('*', ''), blocks: [section(clip(text, MAX_SECTION)), ...footer(report)] };
  }
  const rows = report.problems.length;
  const head = `:warning: ${file}: ${rows.toLocaleString('en-US')} of ${report.rowCount.toLocaleString('en-US')} ${report.rowCount === 1 ? 'row has' : 'rows have'} problems. ${lead} Fix ${rows === 1 ? 'it' : 'them'} and import the file again (rows count from the header, row 1):`;
  const lines = report.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => clip(`• ${escapeSlackText(problemText(p))}`, MAX_LINE));
  if (rows > MAX_PROBLEMS_SHOWN) lines.push(`_…and ${(rows - MAX_PROBLEMS_SHOWN).toLocaleString('en-US')} more._`);
  const blocks: Block[] = [section(head)];
  let chunk = '';
  for (const line of lines) {
    if (chunk !== '' && chunk.length + line.length + 1 > MAX_SECTION) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk === '' ? line : `${chunk}\n${line}`;
  }
  if (chunk !== '') blocks.push(section(chunk));
  blocks.push(...footer(report));
  return { text: `${report.fileName}: ${rows} rows have problems. ${lead}`, blocks };
}

function footer(report: ImportReport): Block[] {
  if (report.ignoredColumns.length === 0) return [];
  const names = report.ignoredColumns.map((name) => `\`${escapeSlackText(clip(name, 40))}\``).join(', ');
  return [context(clip(`Ignored columns: ${names}.`, MAX_SECTION))];
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// ---- export ------------------------------------------------------------------------------

export interface ExportSummary {
  period: Period;
  saleCount: number;
  repCount: number;
  filenames: readonly string[];
}

/** The comment on the files in the DM. */
export function exportComment(summary: ExportSummary): string {
  return `Tally export for ${describePeriod(summary.period)}: ${summary.saleCount.toLocaleString('en-US')} ${summary.saleCount === 1 ? 'sale' : 'sales'} (voided ones included, marked), attainment of ${summary.repCount} ${summary.repCount === 1 ? 'rep' : 'reps'}.`;
}

/** The reply to /tally export once the files are in the DM. */
export function exportSentMessage(summary: ExportSummary): SlackMessage {
  const files = summary.filenames.map((name) => `\`${name}\``).join(' and ');
  const text = `:outbox_tray: Sent ${files} for ${describePeriod(summary.period)} to your DM with Tally.`;
  return { text, blocks: [section(text)] };
}

/** Why a file could not be checked (not readable, not allowed, Tally failed), in the DM. */
export function importFailedMessage(fileName: string, reason: string): SlackMessage {
  const text = `:warning: ${escapeSlackText(fileName)} wasn't imported: ${reason}`;
  return { text, blocks: [section(clip(text, MAX_SECTION))] };
}
