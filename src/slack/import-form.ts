// The state of the import modal: one file_input holding one CSV file. Keyed by block id, as
// the other forms in forms.ts, so a problem shows under the file input.
import { z } from 'zod';
import { fieldErrors, type FormResult } from './forms.js';
import { IMPORT_FIELDS as F } from './ids.js';

export interface UploadedCsv {
  id: string;
  name: string;
  /** Where Slack serves the bytes to a bot token with files:read. */
  downloadUrl: string;
  size: number | null;
}

const uploaded = z.object({
  id: z.string(),
  name: z.string(),
  filetype: z.string().optional(),
  size: z.number().optional(),
  url_private_download: z.string().optional(),
  url_private: z.string().optional(),
});

const importSchema = z.object({
  [F.file]: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .transform((block) => (block?.[F.file] as { files?: unknown } | undefined)?.files ?? [])
    .pipe(z.array(uploaded, { message: 'Choose a CSV file.' }).min(1, 'Choose a CSV file.').max(1, 'Choose one file at a time.'))
    .refine(
      (files) => files.every((f) => (f.filetype ?? '').toLowerCase() === 'csv' || f.name.toLowerCase().endsWith('.csv')),
      'Choose a .csv file (in your spreadsheet: File > Save as > CSV UTF-8).',
    )
    .refine(
      (files) => files.every((f) => f.url_private_download || f.url_private),
      'Slack sent no download link for that file; upload it again.',
    ),
});

export function readImportForm(values: unknown): FormResult<UploadedCsv> {
  const parsed = importSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const file = parsed.data[F.file][0]!;
  return {
    ok: true,
    value: { id: file.id, name: file.name, downloadUrl: (file.url_private_download ?? file.url_private)!, size: file.size ?? null },
  };
}

export const importMetadata = z.object({ kind: z.enum(['sales', 'targets']), channelId: z.string().nullable() });
