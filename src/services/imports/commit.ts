// Committing a checked CSV import (issue 6): the rows are checked again (a period may have been
// locked, a product removed since the dry run) and inserted all or nothing, in one transaction,
// in multi-row batches, with one audit entry per import. Each imported sale's idempotency key is
// a hash of its content, so a file imported twice adds nothing the second time.
import type { SlackDirectory } from '../slack-directory.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { sha256Hex } from '../../domain/csv-import.js';
import { UserError, isUserError } from '../../errors.js';
import { insertAudit } from '../../store/audit.js';
import {
  findImport,
  insertImport,
  insertSalesSkippingExisting,
  insertTargetsInBatches,
  lockCheckedImport,
  lockedThroughForShare,
  markImportCommitted,
} from '../../store/imports.js';
import { ensureWorkspace } from '../../store/workspaces.js';
import type { ServiceDeps } from '../deps.js';
import { assertOpenPeriod } from '../sales.js';
import {
  DOING,
  IMPORT_OF_SOMEONE_ELSE,
  dryRun,
  emptyPrepared,
  prepare,
  reportOf,
  type CheckImportRequest,
  type ImportReport,
  type Prepared,
} from './check.js';

export interface CommitImportRequest {
  teamId: string;
  actorId: string;
  importId: bigint;
}

/**
 * The commit: checks the stored file again (a period may have been locked, a product removed
 * since the dry run) and inserts everything or nothing.
 */
export async function commitImport(deps: ServiceDeps, client: SlackDirectory, request: CommitImportRequest): Promise<ImportReport> {
  const found = await findImport(deps.db, request.teamId, request.importId);
  if (!found)
    throw new UserError(
      'That import is no longer there (a checked file waits a week for its import). Import the file again with `/tally import`.',
    );
  await deps.roles.requireManager(client, request.teamId, request.actorId, DOING[found.kind]);
  // The Import button is in the DM of whoever checked the file; only they commit what they checked.
  if (found.created_by !== request.actorId) throw new UserError(IMPORT_OF_SOMEONE_ELSE);
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults, deps.clock.now());
  const empty = reportOf(emptyPrepared(), found.kind, found.file_name, workspace.currency);
  if (found.status === 'committed' || found.content === null) {
    return {
      ...empty,
      outcome: 'already_committed',
      importId: found.id,
      rowCount: found.row_count,
      newCount: found.added_count ?? 0,
      existingCount: found.existing_count ?? 0,
    };
  }
  const prepared = await prepare(deps, client, workspace, request.actorId, found.kind, found.content);
  const report = reportOf(prepared, found.kind, found.file_name, workspace.currency);
  if (report.outcome === 'invalid') return { ...report, importId: found.id };
  const record = { teamId: request.teamId, actorId: request.actorId, fileName: found.file_name, fileSha256: found.file_sha256 };
  const written = await write(deps, record, async (trx) => (await lockCheckedImport(trx, request.teamId, found.id))?.id, prepared, report);
  if (written) return written;
  // A second click waited for the first commit's lock, then found the import done.
  const done = await findImport(deps.db, request.teamId, found.id);
  return {
    ...empty,
    outcome: 'already_committed',
    importId: found.id,
    rowCount: found.row_count,
    newCount: done?.added_count ?? 0,
    existingCount: done?.existing_count ?? 0,
  };
}

/**
 * Check and commit in one go, for operators (`npm run import -- FILE --commit`): the file is
 * recorded as an import and written at once when every row is fine.
 */
export async function importNow(deps: ServiceDeps, client: SlackDirectory, request: CheckImportRequest): Promise<ImportReport> {
  await deps.roles.requireManager(client, request.teamId, request.actorId, DOING[request.kind]);
  const { report, prepared } = await dryRun(deps, client, request);
  if (report.outcome !== 'ready') return report;
  const record = {
    teamId: request.teamId,
    actorId: request.actorId,
    fileName: request.file.name,
    fileSha256: sha256Hex(request.file.text),
  };
  // The import is recorded in the transaction that writes it: a refused write leaves no trace.
  const open = async (trx: Transaction<Database>) => {
    const stored = await insertImport(trx, {
      ...record,
      kind: request.kind,
      content: null,
      rowCount: prepared.rowCount,
      requestKey: null,
      createdBy: request.actorId,
      createdAt: deps.clock.now(),
    });
    return stored?.id;
  };
  const written = await write(deps, record, open, prepared, report);
  if (!written) throw new Error('insertImport without a request key returned nothing');
  return written;
}

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
  deps: ServiceDeps,
  record: ImportRecord,
  open: (trx: Transaction<Database>) => Promise<bigint | undefined>,
  prepared: Prepared,
  report: ImportReport,
): Promise<ImportReport | undefined> {
  const written = await deps.db.transaction().execute(async (trx) => {
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
      ({ added, amountMinor: addedAmount } = await insertSalesSkippingExisting(
        trx,
        prepared.sales.map((s) => s.sale),
      ));
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
  if (written) deps.caches.leaderboards.forget(record.teamId);
  return written;
}
