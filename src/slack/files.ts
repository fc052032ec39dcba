// Files between Slack and Tally. Downloading a file someone shared with Tally (the import
// modal's file input): the bytes come from the file's url_private_download with the bot token
// (scope files:read). Uploading an export to a person's DM with Tally (files.getUploadURLExternal,
// the bytes, then files.completeUploadExternal into the DM channel, which is what filesUploadV2 does).
import type { WebClient } from '@slack/web-api';
import { decodeCsvBytes } from '../domain/csv-import.js';
import { UserError } from '../errors.js';
import type { PeriodExport } from '../services/export.js';

/** The largest CSV file Tally reads. */
export const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

/**
 * Fetches a private Slack file as UTF-8 text. The token goes only to Slack's file host or
 * the configured Slack API host (a crafted URL never receives it). Slack answers a request
 * it doesn't authorize with its sign-in page (HTML), which is refused, not read as CSV.
 */
export async function downloadSlackText(url: string, token: string, slackApiUrl: string): Promise<string> {
  const target = new URL(url);
  const allowed = target.protocol === 'https:' && (target.hostname === 'files.slack.com' || target.hostname.endsWith('.slack.com'));
  if (!allowed && target.origin !== new URL(slackApiUrl).origin) throw new Error(`refusing to send the bot token to ${target.origin}`);
  const response = await fetch(target, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`file download answered HTTP ${response.status}`);
  if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
    throw new UserError(
      "Slack didn't hand the file to Tally (it answered with a sign-in page). Ask an admin to reinstall Tally so it has the files:read scope, then try again.",
    );
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_DOWNLOAD_BYTES) throw tooBig(length);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_DOWNLOAD_BYTES) throw tooBig(bytes.length);
  const text = decodeCsvBytes(bytes);
  if (!text.ok) throw new UserError(text.error);
  return text.value;
}

function tooBig(bytes: number): UserError {
  return new UserError(
    `The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; Tally imports files up to ${MAX_DOWNLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.`,
  );
}

/** Uploads an export's files into the person's DM with Tally, in one message. Returns the DM channel. */
export async function sendExportToDm(client: WebClient, userId: string, exported: PeriodExport, comment: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error('conversations.open gave no channel id');
  await client.filesUploadV2({
    channel_id: channelId,
    initial_comment: comment,
    file_uploads: exported.files.map((file) => ({ file: Buffer.from(file.content, 'utf8'), filename: file.filename, title: file.title })),
  });
  return channelId;
}
