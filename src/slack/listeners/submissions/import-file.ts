import { downloadSlackText } from '../../files.js';
import { readMetadata } from '../../forms.js';
import { importMetadata, readImportForm } from '../../import-form.js';
import { IMPORT_FIELDS, VIEWS } from '../../ids.js';
import { viewHandler } from '../handle.js';
import { checkImportInBackground } from '../imports.js';
import type { ListenerDeps } from '../../deps.js';
import type { ListenerRegistry } from '../registry.js';

export function register(listeners: ListenerRegistry, deps: ListenerDeps): void {
  listeners.viewSubmission(
    VIEWS.importFile,
    viewHandler(deps, 'import_file', IMPORT_FIELDS.file, async ({ view, body, client, context, teamId }) => {
      const form = readImportForm(view.state.values);
      if (!form.ok) return form.errors;
      const { kind } = readMetadata(importMetadata, view.private_metadata, { kind: 'sales', channelId: null });
      const token = context.botToken ?? client.token ?? '';
      // The modal closes now; the report follows in the DM. A double-clicked submit has the same view id.
      checkImportInBackground(deps, client, {
        teamId,
        userId: body.user.id,
        kind,
        fileName: form.value.name,
        load: () => downloadSlackText(form.value.downloadUrl, token, deps.config.slack.apiUrl),
        requestKey: `view:${view.id}`,
      });
    }),
  );
}
