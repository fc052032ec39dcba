// `/tally import [targets]` and `/tally export [period]` (managers): entries of the /tally table (tally.ts).
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ImportKind } from '../../../../db/schema.js';
import { exportPeriod } from '../../../../services/export.js';
import { sendExportToDm } from '../../../files.js';
import { requireManager, type Actor } from '../../../../services/actor.js';
import { ephemeral } from '../../../views/blocks.js';
import { exportComment, exportSentMessage, importModal } from '../../../views/imports.js';
import type { ListenerDeps } from '../../../deps.js';
import type { TallyHandlers } from './request.js';

export interface ImportCommand {
  channelId: string;
  triggerId: string;
  kind: ImportKind;
}

/** Opens the import modal for managers; a rep is told no before anything opens. */
export async function openImportModal(client: WebClient, actor: Actor, command: ImportCommand, ack: () => Promise<void>): Promise<void> {
  await requireManager(actor, command.kind === 'sales' ? 'import sales' : 'import targets');
  const workspace = await actor.workspace();
  await ack();
  await client.views.open({
    trigger_id: command.triggerId,
    view: importModal({ kind: command.kind, channelId: command.channelId, currency: workspace.currency }),
  });
}

/**
 * Builds the period's CSV files and uploads them to the person's DM. The command is answered
 * first (a long period takes more than Slack's 3 seconds); the outcome follows with respond.
 */
export async function exportToDm(
  deps: ListenerDeps,
  client: WebClient,
  actor: Actor,
  request: { period: string | null },
  ack: () => Promise<void>,
  respond: RespondFn,
): Promise<void> {
  await requireManager(actor, 'export sales');
  await ack();
  const exported = await exportPeriod(deps, client, actor, { period: request.period });
  const summary = {
    period: exported.period,
    saleCount: exported.saleCount,
    repCount: exported.repCount,
    filenames: exported.files.map((f) => f.filename),
  };
  await sendExportToDm(client, actor.userId, exported, exportComment(summary));
  await respond(ephemeral(exportSentMessage(summary)));
}

export const importExportCommands: TallyHandlers<'import' | 'export'> = {
  import: ({ client, actor, command, parsed, ack }) =>
    openImportModal(client, actor, { channelId: command.channel_id, triggerId: command.trigger_id, kind: parsed.what }, ack),
  export: ({ deps, client, actor, parsed, ack, respond }) => exportToDm(deps, client, actor, { period: parsed.period }, ack, respond),
};
