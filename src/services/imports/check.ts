// Checking a CSV import of sales or targets (issue 6): the dry run. Every row meets the rules of
// /logsale, each problem is reported with its row number and the rep it names, and nothing is
// stored but the file, which waits for its commit (commit.ts). Reading the file itself (CSV,
// columns, cells) is pure and lives in domain/csv-import.ts.
import type { SlackDirectory } from '../slack-directory.js';
import type { ImportKind, NewSale, NewTarget, Workspace } from '../../db/schema.js';
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
} from '../../domain/csv-import.js';
import { localDate } from '../../domain/periods.js';
import { UserError, isUserError } from '../../errors.js';
import { deleteUncommittedImports, findImportByRequestKey, existingSaleKeys, insertImport } from '../../store/imports.js';
import { targetsForPeriod } from '../../store/targets.js';
import { ensureWorkspace } from '../../store/workspaces.js';
import { RepDirectory } from '../rep-directory.js';
import type { ServiceDeps } from '../deps.js';
import { SaleRules } from './sale-rules.js';

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

/** What the importer is doing, as a refusal names it. */
export const DOING: Record<ImportKind, string> = { sales: 'import sales', targets: 'import targets' };
/** For a request or button that belongs to someone else's import: says nothing of that import. */
export const IMPORT_OF_SOMEONE_ELSE =
  'That belongs to an import someone else started, so Tally did nothing. Check your own file with `/tally import`.';
/** How long a checked file waits for its commit before it is forgotten. */
export const UNCOMMITTED_IMPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The dry run: checks every row and keeps the file for the commit. Undefined for a request already handled. */
export async function checkImport(
  deps: ServiceDeps,
  client: SlackDirectory,
  request: CheckImportRequest,
): Promise<ImportReport | undefined> {
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
export async function checkOnly(deps: ServiceDeps, client: SlackDirectory, request: CheckImportRequest): Promise<ImportReport> {
  await deps.roles.requireManager(client, request.teamId, request.actorId, DOING[request.kind]);
  return (await dryRun(deps, client, request)).report;
}

/** Checks every row of the request's file against the workspace as it is now. */
export async function dryRun(
  deps: ServiceDeps,
  client: SlackDirectory,
  request: CheckImportRequest,
): Promise<{ report: ImportReport; prepared: Prepared }> {
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults, deps.clock.now());
  const prepared = await prepare(deps, client, workspace, request.actorId, request.kind, request.file.text);
  return { report: reportOf(prepared, request.kind, request.file.name, workspace.currency), prepared };
}

/** A checked file: what is wrong with it, and what its commit would write. */
export interface Prepared {
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

export function emptyPrepared(): Prepared {
  return {
    rowCount: 0,
    fileError: null,
    problems: [],
    ignoredColumns: [],
    sales: [],
    existingKeys: new Set(),
    targets: [],
    unchangedTargets: 0,
  };
}

export function prepare(
  deps: ServiceDeps,
  client: SlackDirectory,
  workspace: Workspace,
  actorId: string,
  kind: ImportKind,
  text: string,
): Promise<Prepared> {
  return kind === 'sales' ? prepareSales(deps, client, workspace, actorId, text) : prepareTargets(deps, client, workspace, actorId, text);
}

async function prepareSales(
  deps: ServiceDeps,
  client: SlackDirectory,
  workspace: Workspace,
  actorId: string,
  text: string,
): Promise<Prepared> {
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

async function prepareTargets(
  deps: ServiceDeps,
  client: SlackDirectory,
  workspace: Workspace,
  actorId: string,
  text: string,
): Promise<Prepared> {
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
      prepared.problems.push(
        rep.ok
          ? { row: cell.row, message: `${rep.id} is also on row ${earlier}: give each rep one row.`, rep: { id: rep.id, name: rep.name } }
          : { row: cell.row, message: rep.error },
      );
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
    const current = new Map(
      (
        await targetsForPeriod(
          deps.db,
          key,
          period.startDate,
          column.map((c) => c.repId),
        )
      ).map((t) => [t.subject_id, t.amount]),
    );
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
async function nameRowReps(
  problems: RowProblem[],
  rows: ReadonlyArray<{ row: number; cells: string[] }>,
  repCell: (cells: string[]) => string,
  directory: RepDirectory,
): Promise<void> {
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
async function targetScopeRefusal(
  deps: ServiceDeps,
  client: SlackDirectory,
  workspace: Workspace,
  actorId: string,
  repId: string,
): Promise<string | null> {
  try {
    await deps.roles.requireActOn(
      client,
      workspace.team_id,
      actorId,
      repId,
      localDate(deps.clock.now(), workspace.timezone),
      "set someone else's targets",
    );
    return null;
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
}

export function reportOf(prepared: Prepared, kind: ImportKind, fileName: string, currency: string): ImportReport {
  const isSales = kind === 'sales';
  const fresh = isSales
    ? prepared.sales.filter((s) => !prepared.existingKeys.has(s.sale.idempotency_key)).map((s) => s.sale.amount_minor)
    : prepared.targets.map((t) => t.amount);
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
