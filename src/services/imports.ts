// CSV imports of sales and targets (issue 6). A file is first checked (a dry run: every row
// meets the rules of /logsale, each problem is reported with its row number, nothing is
// stored but the file), then committed on request: the rows are checked again and inserted
// all or nothing, in one transaction, in multi-row batches, with one audit entry per import.
// Each imported sale's idempotency key is a hash of its content, so a file imported twice
// adds nothing the second time.
import type { SlackDirectory } from './slack-directory.js';
import type { Transaction } from 'kysely';
import type { Database, ImportKind, NewSale, NewTarget, Workspace } from '../db/schema.js';
import {
  importedSaleKey,
  mapSaleColumns,
  parseCsv,
  readRep,
  readSaleRow,
  readTargetGrid,
  sha256Hex,
  type SaleDraft,
  type TargetDraft,
} from '../domain/csv-import.js';
import { convert } from '../domain/money.js';
import { localDate } from '../domain/periods.js';
import { UserError, isUserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import {
  deleteUncommittedImports,
  existingSaleKeys,
  findImport,
  findImportByRequestKey,
  insertImport,
  insertSalesSkippingExisting,
  insertTargetsInBatches,
  lockCheckedImport,
  lockedThroughForShare,
  markImportCommitted,
} from '../store/imports.js';
import { targetsForPeriod } from '../store/targets.js';
import { ensureWorkspace } from '../store/workspaces.js';
import { RepDirectory } from './rep-directory.js';
import { assertOpenPeriod, checkSale, type SaleServiceDeps } from './sales.js';

export interface RowProblem {
  row: number;
  message: string;
  /** The rep the row names, once Slack has said who that is: the report names them. */
  rep?: { id: string; name: string };
}

/**
 * "Row 4 (Rita Lopez, U0REP1): …": a problem with the rep its row names, their mention in the
 * message replaced by their name. Plain text (cells of the file are in it): escape it for Slack.
 */
export function problemText(problem: RowProblem): string {
  if (!problem.rep) return `Row ${problem.row}: ${problem.message}`;
  const { id, name } = problem.rep;
  return `Row ${problem.row} (${name ? `${name}, ${id}` : id}): ${problem.message.replaceAll(`<@${id}>`, name || id)}`;
}

export type ImportOutcome =
  /** Checked, nothing wrong, something new: the commit may follow (importId is set). */
  | 'ready'
  /** Checked, nothing wrong, and every row is already there. */
  | 'nothing_new'
  /** The file or some rows have problems: nothing can be imported until they are fixed. */
  | 'invalid'
  | 'committed'
  | 'already_committed';

export interface ImportReport {
  outcome: ImportOutcome;
  kind: ImportKind;
  importId: bigint | null;
  fileName: string;
  currency: string;
  /** Data rows in the file (blank rows not counted). */
  rowCount: number;
  /** What is wrong with the file as a whole (a missing column, not CSV), if anything. */
  fileError: string | null;
  problems: RowProblem[];
  ignoredColumns: string[];
  /** Sales (or target cells) the commit adds, or added. */
  newCount: number;
  /** Sales already imported before, or target cells already set to that amount. */
  existingCount: number;
  /** Total of the new sales in the workspace currency, or of the new targets. */
  newAmountMinor: bigint;
}

export interface ImportFile {
  name: string;
  text: string;
}

export interface CheckImportRequest {
  teamId: string;
  actorId: string;
  kind: ImportKind;
  file: ImportFile;
  /** Identifies the request (e.g. `view:<view id>`): a retried request checks the file once. */
  requestKey?: string | null;
}

const DOING: Record<ImportKind, string> = { sales: 'import sales', targets: 'import targets' };
/** For a request or button that belongs to someone else's import: says nothing of that import. */
export const IMPORT_OF_SOMEONE_ELSE = 'That belongs to an import someone else started, so Tally did nothing. Check your own file with `/tally import`.';
/** How long a checked file waits for its commit before it is forgotten. */
export const UNCOMMITTED_IMPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The dry run: checks every row and keeps the file for the commit. Undefined for a request already handled. */
export async function checkImport(deps: SaleServiceDeps, client: SlackDirectory, request: CheckImportRequest): Promise<ImportReport | undefined> {
  await deps.roles.requireManager(client, request.teamId, request.actorId, DOING[request.kind]);
  const handled = request.requestKey ? await findImportByRequestKey(deps.db, request.teamId, request.requestKey) : undefined;
  // A replayed submission answers only the person who sent it first: anyone else learns nothing of that file.
  if (handled && handled.created_by !== request.actorId) throw new UserError(IMPORT_OF_SOMEONE_ELSE);
  if (handled) return undefined;
  const { report, prepared } = await dryRun(deps, client, request);
  if (report.outcome !== 'ready') return report;
  await deleteUncommittedImports(deps.db, request.teamId, new Date(deps.clock.now().getTime() - UNCOMMITTED_IMPORT_TTL_MS));
  const stored = await insertImport(deps.db, {
    teamId: request.teamId,
    kind: request.kind,
    fileName: request.file.name,
    fileSha256: sha256Hex(request.file.text),
    content: request.file.text,
    rowCount: prepared.rowCount,
    requestKey: request.requestKey ?? null,
    createdBy: request.actorId,
    createdAt: deps.clock.now(),
  });
  return stored ? { ...report, importId: stored.id } : undefined;
}

/** Checks every row and stores nothing, not even the file (the CLI without --commit). */
export async function checkOnly(deps: SaleServiceDeps, client: SlackDirectory, request: CheckImportRequest): Promise<ImportReport> {
  await deps.roles.requireManager(client, request.teamId, request.actorId, DOING[request.kind]);
  return (await dryRun(deps, client, request)).report;
}

async function dryRun(deps: SaleServiceDeps, client: SlackDirectory, request: CheckImportRequest): Promise<{ report: ImportReport; prepared: Prepared }> {
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults, deps.clock.now());
  const prepared = await prepare(deps, client, workspace, request.actorId, request.kind, request.file.text);
  return { report: reportOf(prepared, request.kind, request.file.name, workspace.currency), prepared };
}

export interface CommitImportRequest {
  teamId: string;
  actorId: string;
  importId: bigint;
}

/**
 * The commit: checks the stored file again (a period may have been locked, a product removed
 * since the dry run) and inserts everything or nothing.
 */
export async function commitImport(deps: SaleServiceDeps, client: SlackDirectory, request: CommitImportRequest): Promise<ImportReport> {
  const found = await findImport(deps.db, request.teamId, request.importId);
  if (!found) throw new UserError("That import is no longer there (a checked file waits a week for its import). Import the file again with `/tally import`.");
  await deps.roles.requireManager(client, request.teamId, request.actorId, DOING[found.kind]);
  // The Import button is in the DM of whoever checked the file; only they commit what they checked.
  if (found.created_by !== request.actorId) throw new UserError(IMPORT_OF_SOMEONE_ELSE);
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults, deps.clock.now());
  const empty = reportOf(emptyPrepared(), found.kind, found.file_name, workspace.currency);
  if (found.status === 'committed' || found.content === null) {
    return { ...empty, outcome: 'already_committed', importId: found.id, rowCount: found.row_count, newCount: found.added_count ?? 0, existingCount: found.existing_count ?? 0 };
  }
  const prepared = await prepare(deps, client, workspace, request.actorId, found.kind, found.content);
  const report = reportOf(prepared, found.kind, found.file_name, workspace.currency);
  if (report.outcome === 'invalid') return { ...report, importId: found.id };
  const record = { teamId: request.teamId, actorId: request.actorId, fileName: found.file_name, fileSha256: found.file_sha256 };
  const written = await write(deps, record, async (trx) => (await lockCheckedImport(trx, request.teamId, found.id))?.id, prepared, report);
  if (written) return written;
  // A second click waited for the first commit's lock, then found the import done.
  const done = await findImport(deps.db, request.teamId, found.id);
  return { ...empty, outcome: 'already_committed', importId: found.id, rowCount: found.row_count, newCount: done?.added_count ?? 0, existingCount: done?.existing_count ?? 0 };
}

/**
 * Check and commit in one go, for operators (`npm run import -- FILE --commit`): the file is
 * recorded as an import and written at once when every row is fine.
 */
export async function importNow(deps: SaleServiceDeps, client: SlackDirectory, request: CheckImportRequest): Promise<ImportReport> {
  await deps.roles.requireManager(client, request.teamId, request.actorId, DOING[request.kind]);
  const { report, prepared } = await dryRun(deps, client, request);
  if (report.outcome !== 'ready') return report;
  const record = { teamId: request.teamId, actorId: request.actorId, fileName: request.file.name, fileSha256: sha256Hex(request.file.text) };
  // The import is recorded in the transaction that writes it: a refused write leaves no trace.
  const open = async (trx: Transaction<Database>) => {
    const stored = await insertImport(trx, { ...record, kind: request.kind, content: null, rowCount: prepared.rowCount, requestKey: null, createdBy: request.actorId, createdAt: deps.clock.now() });
    return stored?.id;
  };
  const written = await write(deps, record, open, prepared, report);
  if (!written) throw new Error('insertImport without a request key returned nothing');
  return written;
}

// ---- checking ----------------------------------------------------------------------------

interface Prepared {
  rowCount: number;
  fileError: string | null;
  problems: RowProblem[];
  ignoredColumns: string[];
  /** Every good sale row, in file order, with the row it came from. */
  sales: Array<{ row: number; sale: NewSale }>;
  /** Keys among `sales` the workspace already has. */
  existingKeys: Set<string>;
  /** Target cells that change something, and how many are already set to that amount. */
  targets: NewTarget[];
  unchangedTargets: number;
}

function emptyPrepared(): Prepared {
  return { rowCount: 0, fileError: null, problems: [], ignoredColumns: [], sales: [], existingKeys: new Set(), targets: [], unchangedTargets: 0 };
}

function prepare(deps: SaleServiceDeps, client: SlackDirectory, workspace: Workspace, actorId: string, kind: ImportKind, text: string): Promise<Prepared> {
  return kind === 'sales' ? prepareSales(deps, client, workspace, actorId, text) : prepareTargets(deps, client, workspace, actorId, text);
}

async function prepareSales(deps: SaleServiceDeps, client: SlackDirectory, workspace: Workspace, actorId: string, text: string): Promise<Prepared> {
  const prepared = emptyPrepared();
  const table = parseCsv(text);
  if (!table.ok) return { ...prepared, fileError: table.error };
  prepared.rowCount = table.value.rows.length;
  const columns = mapSaleColumns(table.value.header);
  if (!columns.ok) return { ...prepared, fileError: columns.error };
  prepared.ignoredColumns = columns.value.ignored;

  const drafts: SaleDraft[] = [];
  for (const { row, cells } of table.value.rows) {
    const read = readSaleRow(row, cells, columns.value, workspace.currency);
    if (read.ok) drafts.push(read.value);
    else prepared.problems.push({ row, message: read.errors.join(' ') });
  }

  const directory = new RepDirectory(client);
  const rules = new SaleRules(deps, client, workspace, actorId);
  const occurrences = new Map<string, number>();
  for (const draft of drafts) {
    const rep = await directory.resolve(draft.rep);
    if (!rep.ok) {
      prepared.problems.push({ row: draft.row, message: rep.error });
      continue;
    }
    const checked = await rules.check(draft, rep.id);
    if (isUserError(checked)) {
      prepared.problems.push({ row: draft.row, message: checked.message, rep: { id: rep.id, name: rep.name } });
      continue;
    }
    const identity = { ...draft, repId: checked.repId, productName: checked.product?.name ?? null };
    const content = importedSaleKey(workspace.team_id, identity, 0);
    const occurrence = (occurrences.get(content) ?? 0) + 1;
    occurrences.set(content, occurrence);
    prepared.sales.push({
      row: draft.row,
      sale: {
        team_id: workspace.team_id,
        rep_id: checked.repId,
        ...checked.counted,
        closed_on: checked.closedOn,
        customer: draft.customer,
        product_id: checked.product?.id ?? null,
        note: draft.note,
        source: 'import',
        idempotency_key: importedSaleKey(workspace.team_id, identity, occurrence),
        created_by: actorId,
        created_at: deps.clock.now(),
        updated_at: deps.clock.now(),
      },
    });
  }
  prepared.problems.sort((a, b) => a.row - b.row);
  const repColumn = columns.value.index.rep!;
  await nameRowReps(prepared.problems, table.value.rows, (cells) => cells[repColumn] ?? '', directory);
  prepared.existingKeys = await existingSaleKeys(
    deps.db,
    workspace.team_id,
    prepared.sales.map((s) => s.sale.idempotency_key),
  );
  return prepared;
}

async function prepareTargets(deps: SaleServiceDeps, client: SlackDirectory, workspace: Workspace, actorId: string, text: string): Promise<Prepared> {
  const prepared = emptyPrepared();
  const table = parseCsv(text);
  if (!table.ok) return { ...prepared, fileError: table.error };
  prepared.rowCount = table.value.rows.length;
  const grid = readTargetGrid(table.value, { tz: workspace.timezone, fy: workspace.fiscal_year_start_month, currency: workspace.currency });
  if (!grid.header.ok) return { ...prepared, fileError: grid.header.error };
  for (const { row, errors } of grid.errors) prepared.problems.push({ row, message: errors.join(' ') });

  // Who each row is for; the same person named twice (by id and by email) is a mistake too.
  const directory = new RepDirectory(client);
  const cells: Array<TargetDraft & { repId: string }> = [];
  const rowOfRep = new Map<string, number>();
  const badRows = new Set<number>();
  for (const cell of grid.cells) {
    if (badRows.has(cell.row)) continue;
    const rep = await directory.resolve(cell.rep);
    const earlier = rep.ok ? rowOfRep.get(rep.id) : undefined;
    if (!rep.ok || (earlier !== undefined && earlier !== cell.row)) {
      badRows.add(cell.row);
      prepared.problems.push(rep.ok ? { row: cell.row, message: `${rep.id} is also on row ${earlier}: give each rep one row.`, rep: { id: rep.id, name: rep.name } } : { row: cell.row, message: rep.error });
      continue;
    }
    if (!rowOfRep.has(rep.id)) {
      const refusal = await targetScopeRefusal(deps, client, workspace, actorId, rep.id);
      if (refusal) {
        badRows.add(cell.row);
        prepared.problems.push({ row: cell.row, message: refusal, rep: { id: rep.id, name: rep.name } });
        continue;
      }
    }
    rowOfRep.set(rep.id, cell.row);
    cells.push({ ...cell, repId: rep.id });
  }
  prepared.problems.sort((a, b) => a.row - b.row);
  await nameRowReps(prepared.problems, table.value.rows, (cells) => cells[0] ?? '', directory);

  // A cell that matches the target already in force for that period changes nothing.
  const byPeriod = new Map<string, Array<TargetDraft & { repId: string }>>();
  for (const cell of cells) {
    if (badRows.has(cell.row)) continue;
    const column = byPeriod.get(cell.period.key);
    if (column) column.push(cell);
    else byPeriod.set(cell.period.key, [cell]);
  }
  for (const column of byPeriod.values()) {
    const period = column[0]!.period;
    const key = { teamId: workspace.team_id, subjectType: 'rep' as const, metric: 'revenue' as const, periodKind: period.kind };
    const current = new Map((await targetsForPeriod(deps.db, key, period.startDate, column.map((c) => c.repId))).map((t) => [t.subject_id, t.amount]));
    for (const cell of column) {
      if (current.get(cell.repId) === cell.amount) {
        prepared.unchangedTargets += 1;
        continue;
      }
      prepared.targets.push({
        team_id: workspace.team_id,
        subject_type: 'rep',
        subject_id: cell.repId,
        metric: 'revenue',
        period_kind: period.kind,
        first_period_start: period.startDate,
        last_period_start: period.startDate,
        amount: cell.amount,
        created_by: actorId,
        created_at: deps.clock.now(),
      });
    }
  }
  return prepared;
}

/**
 * Gives each problem that names no rep yet the rep of its row, when the row's rep cell names
 * someone Slack knows (a row with a bad amount is still someone's): the report names them.
 */
async function nameRowReps(problems: RowProblem[], rows: ReadonlyArray<{ row: number; cells: string[] }>, repCell: (cells: string[]) => string, directory: RepDirectory): Promise<void> {
  const unnamed = new Set(problems.filter((p) => !p.rep).map((p) => p.row));
  if (unnamed.size === 0) return;
  const cellsOf = new Map(rows.filter((r) => unnamed.has(r.row)).map((r) => [r.row, r.cells]));
  for (const problem of problems) {
    if (problem.rep) continue;
    const ref = readRep(repCell(cellsOf.get(problem.row) ?? []).trim());
    if (!ref.ok) continue;
    const found = await directory.resolve(ref.value);
    if (found.ok) problem.rep = { id: found.id, name: found.name };
  }
}

/** Why the importer may not set this rep's targets (a manager of other teams), or null. */
async function targetScopeRefusal(deps: SaleServiceDeps, client: SlackDirectory, workspace: Workspace, actorId: string, repId: string): Promise<string | null> {
  try {
    await deps.roles.requireActOn(client, workspace.team_id, actorId, repId, localDate(deps.clock.now(), workspace.timezone), "set someone else's targets");
    return null;
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
}

function reportOf(prepared: Prepared, kind: ImportKind, fileName: string, currency: string): ImportReport {
  const isSales = kind === 'sales';
  const fresh = isSales ? prepared.sales.filter((s) => !prepared.existingKeys.has(s.sale.idempotency_key)).map((s) => s.sale.amount_minor) : prepared.targets.map((t) => t.amount);
  const invalid = prepared.fileError !== null || prepared.problems.length > 0;
  return {
    outcome: invalid ? 'invalid' : fresh.length > 0 ? 'ready' : 'nothing_new',
    kind,
    importId: null,
    fileName,
    currency,
    rowCount: prepared.rowCount,
    fileError: prepared.fileError,
    problems: prepared.problems,
    ignoredColumns: prepared.ignoredColumns,
    newCount: fresh.length,
    existingCount: isSales ? prepared.sales.length - fresh.length : prepared.unchangedTargets,
    newAmountMinor: fresh.reduce((sum, amount) => sum + amount, 0n),
  };
}

// ---- writing -----------------------------------------------------------------------------

interface ImportRecord {
  teamId: string;
  actorId: string;
  fileName: string;
  fileSha256: string;
}

/**
 * One transaction: `open` locks (or creates) the import row and gives its id, or nothing when
 * it is already committed (a second click waits for the first's lock, then finds it done);
 * then every row is inserted and one audit entry written. Undefined when there was nothing to open.
 */
async function write(
  deps: SaleServiceDeps,
  record: ImportRecord,
  open: (trx: Transaction<Database>) => Promise<bigint | undefined>,
  prepared: Prepared,
  report: ImportReport,
): Promise<ImportReport | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const importId = await open(trx);
    if (importId === undefined) return undefined;
    let added: number;
    let addedAmount: bigint;
    let existing: number;
    let keys: { first: string; last: string } | null = null;
    if (report.kind === 'sales') {
      // The dry run saw the periods open; an admin may have locked one since. Held until commit.
      const lockedThrough = await lockedThroughForShare(trx, record.teamId);
      for (const { row, sale } of prepared.sales) {
        try {
          assertOpenPeriod({ locked_through: lockedThrough }, sale.closed_on);
        } catch (error) {
          if (isUserError(error)) throw new UserError(`Nothing was imported. Row ${row}: ${error.message}`);
          throw error;
        }
      }
      // Sales someone else imported between the dry run and now count as already there.
      ({ added, amountMinor: addedAmount } = await insertSalesSkippingExisting(trx, prepared.sales.map((s) => s.sale)));
      existing = prepared.sales.length - added;
      const sorted = prepared.sales.map((s) => s.sale.idempotency_key).sort();
      if (sorted.length > 0) keys = { first: sorted[0]!, last: sorted.at(-1)! };
    } else {
      added = await insertTargetsInBatches(trx, prepared.targets);
      addedAmount = report.newAmountMinor;
      existing = prepared.unchangedTargets;
    }
    const committed = await markImportCommitted(trx, record.teamId, importId, record.actorId, { added, existing }, deps.clock.now());
    await insertAudit(trx, {
      teamId: record.teamId,
      actorId: record.actorId,
      action: report.kind === 'sales' ? 'sales.imported' : 'targets.imported',
      entityType: 'import',
      entityId: String(importId),
      after: {
        import_id: committed.id,
        file_name: record.fileName,
        file_sha256: record.fileSha256,
        rows: committed.row_count,
        added,
        already_there: existing,
        ...(keys ? { idempotency_keys: keys } : {}),
      },
      at: deps.clock.now(),
    });
    return { ...report, outcome: 'committed' as const, importId, newCount: added, existingCount: existing, newAmountMinor: addedAmount };
  });
}

// ---- the rules of /logsale, once per kind of row ----------------------------------------------

type CheckedSale = Awaited<ReturnType<typeof checkSale>>;
type Remembered = { kind: 'error'; error: UserError } | { kind: 'ok'; result: CheckedSale; probe: bigint };

/**
 * Checks rows with checkSale, the rules every sale meets (date, locked period, who may log for
 * whom, product, currency and exchange rate). Its answer depends on the row's date, currency,
 * product and rep (the importer, or someone whose teams on that date decide), and on the amount only through the exchange
 * rate; so it is asked once per such combination and its answer is reused for the other rows,
 * with the amount converted at the rate it found. Whenever that reuse can't reproduce
 * checkSale's own answer exactly, the row is checked on its own.
 */
class SaleRules {
  private readonly remembered = new Map<string, Remembered>();

  constructor(
    private readonly deps: SaleServiceDeps,
    private readonly client: SlackDirectory,
    private readonly workspace: Workspace,
    private readonly actorId: string,
  ) {}

  async check(draft: SaleDraft, repId: string): Promise<CheckedSale | UserError> {
    // Whether the importer may log for the rep depends on the rep's teams on the date.
    const key = JSON.stringify([draft.closedOn, repId === this.actorId ? '' : repId, draft.currency, draft.productName?.toLowerCase() ?? null]);
    const known = this.remembered.get(key);
    if (known?.kind === 'error') return known.error;
    if (known?.kind === 'ok') {
      const counted = rebase(known.result.counted, known.probe, draft.amountMinor);
      if (counted) return { ...known.result, repId, counted };
    }
    try {
      const result = await checkSale(this.deps, this.client, this.workspace, {
        teamId: this.workspace.team_id,
        actorId: this.actorId,
        repId,
        amountMinor: draft.amountMinor,
        currency: draft.currency,
        productName: draft.productName,
        closedOn: draft.closedOn,
      });
      if (!known) this.remembered.set(key, { kind: 'ok', result, probe: draft.amountMinor });
      return result;
    } catch (error) {
      if (!isUserError(error)) throw error;
      // An amount-specific refusal (too small once converted) says nothing about other rows.
      if (!known && error.field !== 'amount') this.remembered.set(key, { kind: 'error', error });
      return error;
    }
  }
}

/** The counted amount checkSale gave for `probe`, redone for `amount`; null when that can't be done exactly. */
function rebase(counted: CheckedSale['counted'], probe: bigint, amount: bigint): CheckedSale['counted'] | null {
  if (counted.original_amount_minor !== probe) return null;
  if (counted.fx_rate === null) {
    return counted.amount_minor === probe && counted.currency === counted.original_currency ? { ...counted, amount_minor: amount, original_amount_minor: amount } : null;
  }
  if (convert(probe, counted.original_currency, counted.currency, counted.fx_rate) !== counted.amount_minor) return null;
  const converted = convert(amount, counted.original_currency, counted.currency, counted.fx_rate);
  return converted > 0n ? { ...counted, amount_minor: converted, original_amount_minor: amount } : null;
}
