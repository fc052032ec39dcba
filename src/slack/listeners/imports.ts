// Shared by the import modal's submission: the file is downloaded and checked after Slack has
// its answer (a modal must be answered within 3 seconds; a large file takes longer), and the
// report goes to the person's DM with Tally.
import type { WebClient } from '@slack/web-api';
import type { ImportKind } from '../../db/schema.js';
import { isUserError } from '../../errors.js';
import { checkImport } from '../../services/imports.js';
import { importFailedMessage, importReportMessage } from '../views/imports.js';
import { failureMessage } from './handle.js';
import type { ListenerDeps } from '../deps.js';

export interface ImportCheckJob {
  teamId: string;
  userId: string;
  kind: ImportKind;
  fileName: string;
  /** Reads the file's text (a download from Slack). */
  load(): Promise<string>;
  requestKey: string;
}

export function checkImportInBackground(deps: ListenerDeps, client: WebClient, job: ImportCheckJob): void {
  const context = { teamId: job.teamId, userId: job.userId, kind: job.kind };
  reportImport(deps, client, job)
    .catch(async (error: unknown) => {
      if (!isUserError(error)) deps.logger.error({ err: error, ...context }, 'import check failed');
      const reason = isUserError(error) ? error.message : failureMessage(error);
      await client.chat.postMessage({ channel: job.userId, ...importFailedMessage(job.fileName, reason) });
    })
    .catch((error: unknown) => deps.logger.error({ err: error, ...context }, 'import outcome not delivered'));
}

async function reportImport(deps: ListenerDeps, client: WebClient, job: ImportCheckJob): Promise<void> {
  const text = await job.load();
  const report = await checkImport(deps, client, {
    teamId: job.teamId,
    actorId: job.userId,
    kind: job.kind,
    file: { name: job.fileName, text },
    requestKey: job.requestKey,
  });
  // Undefined: the same submission was already checked and reported.
  if (report) await client.chat.postMessage({ channel: job.userId, ...importReportMessage(report) });
}
