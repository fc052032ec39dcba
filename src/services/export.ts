// `/tally export [period]` (managers): the period's sales and attainment as two CSV files, each
// rep's name and email next to their Slack id. The Slack edge uploads them to the caller's DM
// (sendExportToDm in src/slack/files.ts).
import { attainmentCsv, salesCsv } from '../domain/csv-export.js';
import { periodFromText } from '../domain/period-arg.js';
import type { Period } from '../domain/periods.js';
import { UserError } from '../errors.js';
import { salesForExport } from '../store/imports.js';
import { buildLeaderboard } from './leaderboard.js';
import { requireManager, type Actor } from './actor.js';
import { RepDirectory } from './rep-directory.js';
import type { SlackDirectory } from './slack-directory.js';
import type { ServiceDeps } from './deps.js';

export interface ExportFile {
  filename: string;
  title: string;
  content: string;
}

export interface PeriodExport {
  period: Period;
  saleCount: number;
  repCount: number;
  files: [ExportFile, ExportFile];
}

/** Builds both files for the period `word` names (default: this month). Managers and admins only. */
export async function exportPeriod(
  deps: ServiceDeps,
  directory: SlackDirectory,
  actor: Actor,
  request: { period: string | null },
): Promise<PeriodExport> {
  await requireManager(actor, 'export sales');
  const workspace = await actor.workspace();
  const read = periodFromText(request.period, deps.clock.now(), workspace.timezone, workspace.fiscal_year_start_month);
  if (!read.ok) throw new UserError(read.error);
  const period = read.period;
  const [sales, board] = await Promise.all([
    salesForExport(deps.db, actor.teamId, period.startDate, period.endDate),
    buildLeaderboard(deps, workspace, { kind: period.kind, viewerId: actor.userId, period }),
  ]);
  // A period that is over has a final attainment and no pace.
  const attainment = board.ranked.map((r) => ({
    repId: r.userId,
    target: r.target,
    actual: r.actual,
    percent: r.measure?.percent ?? null,
    pace: r.measure && !r.measure.final ? r.measure.status : null,
  }));
  // Names and emails next to the ids: Slack is asked once per rep; one it does not return gets empty cells.
  const reps = await new RepDirectory(directory).profiles([...sales.map((s) => s.rep_id), ...attainment.map((a) => a.repId)]);
  return {
    period,
    saleCount: sales.length,
    repCount: attainment.length,
    files: [
      { filename: `sales-${period.key}.csv`, title: `Sales ${period.key}`, content: salesCsv(sales, reps) },
      {
        filename: `attainment-${period.key}.csv`,
        title: `Attainment ${period.key}`,
        content: attainmentCsv(attainment, workspace.currency, reps),
      },
    ],
  };
}
