// The state of App Home's setup forms (views/home-setup.ts), keyed by block id as the other
// forms in forms.ts, so a problem shows under its field. Names are checked again by the
// services (addSalesTeam, addProduct), which say what a good one looks like.
import { z } from 'zod';
import { fieldErrors, type FormResult } from './forms.js';
import { SETUP_FIELDS as F } from './ids.js';

const pick = <T extends z.ZodType>(actionId: string, key: string, schema: T) =>
  z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .transform((block) => (block?.[actionId] as Record<string, unknown> | undefined)?.[key])
    .pipe(schema);

const name = (what: string, example: string) =>
  z
    .string({ message: `Give the ${what} a name, like ${example}.` })
    .trim()
    .min(1, `Give the ${what} a name, like ${example}.`);

/** A channel picked from Slack's list: public (C…) or private (G…, or C… on newer workspaces). */
const channel = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'Choose a channel from the list.');

const teamSchema = z.object({
  [F.teamName]: pick(F.teamName, 'value', name('team', 'east')),
  [F.teamChannel]: pick(
    F.teamChannel,
    'selected_conversation',
    channel.nullish().transform((c) => c ?? null),
  ),
});

export function readAddTeamForm(values: unknown): FormResult<{ name: string; channelId: string | null }> {
  const parsed = teamSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, value: { name: parsed.data[F.teamName], channelId: parsed.data[F.teamChannel] } };
}

const productSchema = z.object({ [F.productName]: pick(F.productName, 'value', name('product', 'widgets')) });

export function readAddProductForm(values: unknown): FormResult<{ name: string }> {
  const parsed = productSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, value: { name: parsed.data[F.productName] } };
}

const digestSchema = z.object({
  [F.digestChannel]: pick(F.digestChannel, 'selected_conversation', z.string({ message: 'Choose a channel from the list.' }).pipe(channel)),
  [F.digestCadence]: pick(
    F.digestCadence,
    'selected_option',
    z
      .object({ value: z.enum(['weekly', 'daily'], { message: 'Choose how often.' }) }, { message: 'Choose how often.' })
      .transform((o) => o.value),
  ),
});

export function readDigestChannelForm(values: unknown): FormResult<{ channelId: string; cadence: 'weekly' | 'daily' }> {
  const parsed = digestSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  return { ok: true, value: { channelId: parsed.data[F.digestChannel], cadence: parsed.data[F.digestCadence] } };
}
