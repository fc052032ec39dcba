// The import modal, the dry-run report, the commit outcome and the export notices: a text
// fallback, blocks within Slack's limits, text from the file escaped. Also the /tally import and
// export sub-commands and the import form. Pure.
import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '../../slack-standin/block-kit-limits.js';
import { parseTallyCommand } from '../../src/domain/tally-command.js';
import { periodOfDate } from '../../src/domain/periods.js';
import type { ImportReport } from '../../src/services/imports.js';
import { ACTIONS, IMPORT_FIELDS, VIEWS } from '../../src/slack/ids.js';
import { readImportForm } from '../../src/slack/import-form.js';
import {
  exportComment,
  exportSentMessage,
  importCommittedMessage,
  importFailedMessage,
  importModal,
  importReportMessage,
  MAX_PROBLEMS_SHOWN,
} from '../../src/slack/views/imports.js';
import { replyText } from '../support/harness.js';

const base: ImportReport = {
  outcome: 'ready',
  kind: 'sales',
  importId: 7n,
  fileName: 'november.csv',
  currency: 'USD',
  rowCount: 4,
  fileError: null,
  problems: [],
  ignoredColumns: [],
  newCount: 3,
  existingCount: 1,
  newAmountMinor: 315_050n,
};

function valid(message: { text: string; blocks: unknown[] }) {
  expect(message.text.trim()).not.toBe('');
  expect(validateMessageBlocks(message.blocks)).toEqual([]);
}

/** The text of the first block (a section). */
const firstSection = (message: { blocks: unknown[] }) => (message.blocks[0] as { text: { text: string } }).text.text;

const buttons = (message: { blocks: unknown[] }) =>
  (message.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }> }>)
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.action_id === ACTIONS.commitImport);

describe('importModal', () => {
  it.each(['sales', 'targets'] as const)('holds one CSV file input (%s) and says what the file must look like', (kind) => {
    const view = importModal({ kind, channelId: 'C0SALES', currency: 'EUR' });
    expect(validateView(view)).toEqual([]);
    expect(view.callback_id).toBe(VIEWS.importFile);
    expect(JSON.parse(view.private_metadata!)).toEqual({ kind, channelId: 'C0SALES' });
    const input = view.blocks.find((b) => b.block_id === IMPORT_FIELDS.file);
    expect(input).toMatchObject({
      type: 'input',
      element: { type: 'file_input', action_id: IMPORT_FIELDS.file, filetypes: ['csv'], max_files: 1 },
    });
    expect(replyText(view)).toContain(kind === 'sales' ? '(default EUR)' : 'in EUR');
  });
});

describe('importReportMessage', () => {
  it('offers the import when every row is fine', () => {
    const message = importReportMessage({ ...base, ignoredColumns: ['Region', '<b>'] });
    valid(message);
    expect(message.text).toBe(
      'november.csv is ready: 3 sales to import, totalling $3,150.50 (1 was already imported). Nothing is saved until you press Import.',
    );
    expect(buttons(message)).toEqual([expect.objectContaining({ value: '7', text: expect.objectContaining({ text: 'Import 3 sales' }) })]);
    expect(replyText(message)).toContain('Ignored columns: `Region`, `&lt;b&gt;`.');
  });

  it('says targets for a targets file, and one sale in the singular', () => {
    expect(buttons(importReportMessage({ ...base, newCount: 1 }))[0]!.text!.text).toBe('Import 1 sale');
    const targets = importReportMessage({ ...base, kind: 'targets', newCount: 2, existingCount: 2 });
    expect(targets.text).toContain('2 targets to import');
    expect(targets.text).toContain('2 were already set to that amount');
  });

  it('offers nothing when everything is already there', () => {
    const message = importReportMessage({
      ...base,
      outcome: 'nothing_new',
      importId: null,
      newCount: 0,
      existingCount: 4,
      newAmountMinor: 0n,
    });
    valid(message);
    expect(message.text).toBe('Nothing new in november.csv: all 4 sales were already imported.');
    expect(buttons(message)).toEqual([]);
  });

  it('lists the first problems with row numbers, escaped, and counts the rest', () => {
    const problems = Array.from({ length: 45 }, (_, i) => ({ row: i + 2, message: `\`<!channel>\` is not an amount ${'x'.repeat(500)}` }));
    const message = importReportMessage({ ...base, outcome: 'invalid', importId: null, fileName: '<evil>.csv', rowCount: 50, problems });
    valid(message);
    const text = replyText(message);
    expect(text).toContain(
      '*&lt;evil&gt;.csv*: 45 of 50 rows have problems. Nothing was imported. Fix them and import the file again (rows count from the header, row 1):',
    );
    expect(text).toContain('• Row 2: `&lt;!channel&gt;` is not an amount');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain(`• Row ${MAX_PROBLEMS_SHOWN + 1}:`);
    expect(text).not.toContain(`• Row ${MAX_PROBLEMS_SHOWN + 2}:`);
    expect(text).toContain('…and 25 more.');
    expect(buttons(message)).toEqual([]);
  });

  it('shows a problem with the whole file', () => {
    const message = importReportMessage({
      ...base,
      outcome: 'invalid',
      importId: null,
      fileError: 'The file has no `date` column (found: `<x>`).',
    });
    valid(message);
    expect(firstSection(message)).toBe(
      ":warning: *november.csv* can't be imported: The file has no `date` column (found: `&lt;x&gt;`). Nothing was imported.",
    );
  });
});

describe('importCommittedMessage', () => {
  it.each([
    [{ outcome: 'committed' }, ':inbox_tray: Imported 3 sales from *november.csv*, totalling $3,150.50. 1 was already imported.'],
    [{ outcome: 'committed', existingCount: 0 }, ':inbox_tray: Imported 3 sales from *november.csv*, totalling $3,150.50.'],
    [{ outcome: 'already_committed' }, '*november.csv* was already imported (3 sales added then); nothing changed.'],
    [
      { outcome: 'committed', kind: 'targets', newCount: 1, existingCount: 2 },
      ':inbox_tray: Imported 1 target from *november.csv*, totalling $3,150.50. 2 were already set to that amount.',
    ],
  ] as const)('reads %j', (change, text) => {
    const message = importCommittedMessage({ ...base, ...change });
    valid(message);
    expect(firstSection(message)).toBe(text);
    expect(message.text).toBe(text.replaceAll('*', ''));
  });

  it('lists the problems when the file no longer passes', () => {
    const message = importCommittedMessage({
      ...base,
      outcome: 'invalid',
      problems: [{ row: 3, message: 'Sales closed on or before 2026-11-02 are locked.' }],
    });
    valid(message);
    expect(replyText(message)).toContain('Nothing was imported: the file no longer passes the checks.');
    expect(replyText(message)).toContain('• Row 3: Sales closed on or before 2026-11-02 are locked.');
  });

  it.each([
    [
      'a rep Slack named',
      {
        row: 4,
        message: "Only admins and managers of *east* (<@U0REP1>'s team on 2026-11-05) can log someone else's sale.",
        rep: { id: 'U0REP1', name: 'Rita <b> Lopez' },
      },
      "• Row 4 (Rita &lt;b&gt; Lopez, U0REP1): Only admins and managers of *east* (Rita &lt;b&gt; Lopez's team on 2026-11-05) can log someone else's sale.",
    ],
    [
      'a rep with no name in Slack',
      { row: 5, message: 'U0REP2 is also on row 2: give each rep one row.', rep: { id: 'U0REP2', name: '' } },
      '• Row 5 (U0REP2): U0REP2 is also on row 2: give each rep one row.',
    ],
    [
      'a row whose rep is not known',
      { row: 6, message: 'there is no Slack user U0NOBODY in this workspace' },
      '• Row 6: there is no Slack user U0NOBODY in this workspace',
    ],
  ] as const)('names %s on its row, escaped', (_name, problem, line) => {
    const message = importReportMessage({ ...base, outcome: 'invalid', importId: null, problems: [problem] });
    valid(message);
    expect(replyText(message).split('\n')).toContain(line);
  });

  it('tells why a file could not be checked', () => {
    const message = importFailedMessage('<x>.csv', "The file isn't UTF-8 text.");
    valid(message);
    expect(message.text).toBe(":warning: &lt;x&gt;.csv wasn't imported: The file isn't UTF-8 text.");
  });
});

describe('export notices', () => {
  const summary = {
    period: periodOfDate('month', '2026-11-01', 'UTC', 1),
    saleCount: 1,
    repCount: 2,
    filenames: ['sales-2026-11.csv', 'attainment-2026-11.csv'],
  };

  it('comments on the files and answers the command', () => {
    expect(exportComment(summary)).toBe(
      'Tally export for Month 2026-11 (Nov 1 – Nov 30): 1 sale (voided ones included, marked), attainment of 2 reps.',
    );
    const message = exportSentMessage(summary);
    valid(message);
    expect(message.text).toBe(
      ':outbox_tray: Sent `sales-2026-11.csv` and `attainment-2026-11.csv` for Month 2026-11 (Nov 1 – Nov 30) to your DM with Tally.',
    );
  });
});

describe('/tally import and export, parsed', () => {
  it.each([
    ['import', { kind: 'import', what: 'sales' }],
    ['import sales', { kind: 'import', what: 'sales' }],
    ['IMPORT Targets', { kind: 'import', what: 'targets' }],
    ['import target', { kind: 'import', what: 'targets' }],
    ['export', { kind: 'export', period: null }],
    ['export quarter', { kind: 'export', period: 'quarter' }],
    ['export FY2027-Q1', { kind: 'export', period: 'FY2027-Q1' }],
    // Periods may be two words (`last month`): what they say is checked by the period grammar.
    ['export last month', { kind: 'export', period: 'last month' }],
  ])('reads %j', (text, command) => {
    expect(parseTallyCommand(text)).toEqual(command);
  });

  it.each(['import people', 'import sales now'])('says how to use %j', (text) => {
    expect(parseTallyCommand(text)).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^Try `\/tally (import|export)`/) });
  });
});

describe('readImportForm', () => {
  const file = (name: string, filetype = 'csv') => ({
    id: 'F1',
    name,
    filetype,
    size: 10,
    url_private_download: 'https://files.slack.com/files-pri/T1-F1/download/x.csv',
  });
  const state = (files: unknown[]) => ({ [IMPORT_FIELDS.file]: { [IMPORT_FIELDS.file]: { type: 'file_input', files } } });

  it('reads the one CSV file', () => {
    expect(readImportForm(state([file('sales.csv')]))).toEqual({
      ok: true,
      value: { id: 'F1', name: 'sales.csv', downloadUrl: 'https://files.slack.com/files-pri/T1-F1/download/x.csv', size: 10 },
    });
  });

  it.each([
    [state([]), 'Choose a CSV file.'],
    [{}, 'Choose a CSV file.'],
    [state([file('a.csv'), file('b.csv')]), 'Choose one file at a time.'],
    [state([file('deck.pdf', 'pdf')]), 'Choose a .csv file (in your spreadsheet: File > Save as > CSV UTF-8).'],
  ])('refuses %j', (values, error) => {
    expect(readImportForm(values)).toEqual({ ok: false, errors: { [IMPORT_FIELDS.file]: error } });
  });
});
