// `npm run import -- FILE --team T [--as U012ABC] [--targets] [--commit]`: the same checks and
// the same all-or-nothing import as `/tally import`, for a file on disk. Without --commit it is
// a dry run that stores nothing. Exit code 0: fine (or nothing new), 1: the file or its rows
// have problems (nothing imported), 2: wrong arguments.
//
// --as names the manager the import is recorded for (their role is checked as in Slack).
// Without it the operator, who has the database credentials anyway, imports as `cli`.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import type { Role } from '../db/schema.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { systemClock, type Clock } from '../deps.js';
import { decodeCsvBytes } from '../domain/csv-import.js';
import { formatMoney } from '../domain/money.js';
import { isUserError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { createCaches } from '../services/caches.js';
import { checkOnly, importNow, problemText, type ImportReport } from '../services/imports.js';
import { Roles } from '../services/roles.js';
import { slackClientsFor } from '../slack/clients.js';

export const CLI_ACTOR = 'cli';

const USAGE = 'Usage: npm run import -- FILE --team T012ABC [--as U012ABC] [--targets] [--commit]';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliOptions {
  clock?: Clock;
  logger?: Logger;
}

/** The operator at the terminal may do what an admin may. */
class OperatorRoles extends Roles {
  override async roleOf(): Promise<Role> {
    return 'admin';
  }
}

function parseImportArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      team: { type: 'string' },
      as: { type: 'string' },
      commit: { type: 'boolean' },
      targets: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export async function runImportCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: CliIo,
  options: CliOptions = {},
): Promise<number> {
  let args: ReturnType<typeof parseImportArgs>;
  try {
    args = parseImportArgs(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [path, ...extra] = positionals;
  const problems = [
    ...(path === undefined ? ['name the CSV file to import'] : []),
    ...(extra.length > 0 ? [`one file at a time (got ${positionals.length})`] : []),
    ...(values.team === undefined || !/^[TE][A-Z0-9]+$/.test(values.team) ? ['--team must be the Slack workspace id, like T012ABC'] : []),
    ...(values.as !== undefined && !/^[UW][A-Z0-9]+$/.test(values.as) ? ['--as must be a Slack user id, like U012ABC'] : []),
  ];
  if (problems.length > 0 || path === undefined || values.team === undefined) {
    io.err(`${problems.join('; ')}.\n${USAGE}`);
    return 2;
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    io.err(`Can't read ${path}: ${(error as Error).message}`);
    return 2;
  }
  const text = decodeCsvBytes(bytes);
  if (!text.ok) {
    io.err(text.error);
    return 1;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(error.message);
    return 1;
  }
  const logger = options.logger ?? createLogger(config.logLevel, process.stderr);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const clients = await slackClientsFor(config, database.db, logger, systemClock).slack.forTeam(values.team);
    if (!clients) {
      io.err(`Tally has no bot token for workspace ${values.team}: install Tally there (or set SLACK_BOT_TOKEN) first.`);
      return 1;
    }
    const base = { config, db: database.db, clock: options.clock ?? systemClock };
    const roles = values.as === undefined ? new OperatorRoles(base) : new Roles(base);
    const request = {
      teamId: values.team,
      actorId: values.as ?? CLI_ACTOR,
      kind: values.targets ? ('targets' as const) : ('sales' as const),
      file: { name: basename(path), text: text.value },
    };
    const deps = { ...base, roles, caches: createCaches() };
    const report = values.commit ? await importNow(deps, clients.api, request) : await checkOnly(deps, clients.api, request);
    for (const line of reportLines(report, Boolean(values.commit))) io.out(line);
    return report.outcome === 'invalid' ? 1 : 0;
  } catch (error) {
    if (!isUserError(error)) throw error;
    io.err(error.message.replaceAll('`', ''));
    return 1;
  } finally {
    await database.close();
  }
}

/** The report as plain lines for a terminal: every problem, not only the first few. */
export function reportLines(report: ImportReport, commit: boolean): string[] {
  const noun = report.kind === 'sales' ? 'sales' : 'targets';
  const money = (amount: bigint) => formatMoney(amount, report.currency);
  const lines = [`${report.fileName}: ${report.rowCount} ${report.rowCount === 1 ? 'row' : 'rows'} checked.`];
  if (report.ignoredColumns.length > 0) lines.push(`Ignored columns: ${report.ignoredColumns.join(', ')}.`);
  const already = report.kind === 'sales' ? 'already imported' : 'already set to that amount';
  switch (report.outcome) {
    case 'invalid':
      if (report.fileError !== null) lines.push(report.fileError.replaceAll('`', ''));
      for (const problem of report.problems) lines.push(problemText(problem).replaceAll('`', ''));
      if (report.problems.length > 0)
        lines.push(
          `${report.problems.length} ${report.problems.length === 1 ? 'row has' : 'rows have'} problems (rows count from the header, row 1).`,
        );
      lines.push('Nothing was imported.');
      break;
    case 'nothing_new':
      lines.push(`Nothing new: all ${report.existingCount} ${noun} are ${already}.`);
      break;
    case 'ready':
      lines.push(`${report.newCount} new ${noun} (${money(report.newAmountMinor)}), ${report.existingCount} ${already}.`);
      if (!commit) lines.push('Dry run: nothing was imported. Run again with --commit to import them.');
      break;
    case 'committed':
      lines.push(
        `Imported ${report.newCount} new ${noun} (${money(report.newAmountMinor)}), ${report.existingCount} ${already}. Import id ${report.importId}.`,
      );
      break;
    case 'already_committed':
      lines.push('This import was already committed; nothing changed.');
      break;
  }
  return lines;
}
