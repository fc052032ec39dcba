// The shapes of the requests Tally handles, checked before Bolt sees them. Bolt reads fields
// such as `body.ssl_check`, `body.user.id` or `body.view.callback_id` without looking first,
// so a signed but incomplete body would crash it; here it gets a 400 that names the problem.
import { z } from 'zod';

const id = z.string().min(1);
const withId = z.object({ id });

const slashCommand = z.object({ command: id, user_id: id, team_id: id, text: z.string().optional() });

const blockActions = z.object({
  type: z.literal('block_actions'),
  user: withId,
  team: withId.nullish(),
  actions: z.array(z.object({ action_id: id, type: z.string() })).min(1),
});

const view = z.object({ id, callback_id: z.string(), state: z.object({ values: z.record(z.string(), z.unknown()) }).optional() });

const viewSubmission = z.object({ type: z.literal('view_submission'), user: withId, team: withId.nullish(), view });
const viewClosed = z.object({ type: z.literal('view_closed'), user: withId, team: withId.nullish(), view });

const blockSuggestion = z.object({
  type: z.literal('block_suggestion'),
  user: withId,
  team: withId.nullish(),
  action_id: id,
  value: z.string(),
});

const eventCallback = z.object({ type: z.literal('event_callback'), team_id: id, event: z.object({ type: id }) });
const urlVerification = z.object({ type: z.literal('url_verification'), challenge: z.string() });

const byType: Record<string, z.ZodType> = {
  block_actions: blockActions,
  view_submission: viewSubmission,
  view_closed: viewClosed,
  block_suggestion: blockSuggestion,
  event_callback: eventCallback,
  url_verification: urlVerification,
};

/** What is wrong with a parsed request body, or undefined when Tally can handle it. */
export function requestShapeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not an object';
  const type = (body as { type?: unknown }).type;
  if (type === undefined) return problemOf(slashCommand, body, 'slash command');
  if (typeof type !== 'string') return 'type is not a string';
  const schema = byType[type];
  if (!schema) return `requests of type ${JSON.stringify(type.slice(0, 40))} are not handled`;
  return problemOf(schema, body, type);
}

function problemOf(schema: z.ZodType, body: object, what: string): string | undefined {
  const result = schema.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.') || 'body';
  return `${what}: ${path} is missing or malformed`;
}
