// The workspace a request acts on is the one Bolt authorised it for (in OAuth mode, the
// installation whose token answers it), never a workspace id read from the payload. A payload
// can name several: a modal opened through a Slack Connect channel, or a crafted body, carries a
// `view.team_id` other than the installation's. Tally refuses such a request rather than guess.
import { UserError } from '../errors.js';

export const NO_WORKSPACE =
  "Slack didn't say which workspace this is, so Tally did nothing. Please try again from the workspace where Tally is installed.";
export const OTHER_WORKSPACE =
  'This came from a different Slack workspace than the one Tally is installed in, so Tally did nothing and saved nothing. ' +
  'Open Tally in the workspace you want to change (its own App Home or `/logsale` there) and try again.';

export interface AuthorisedIds {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
}

/** Every workspace and enterprise id a command, interaction or event payload names. */
export function workspacesNamed(body: unknown): { teams: string[]; enterprises: string[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  const at = (value: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
  const ids = (...values: unknown[]) => [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
  return {
    teams: ids(
      at(b, 'team_id'),
      at(b, 'team', 'id'),
      at(b, 'view', 'team_id'),
      at(b, 'view', 'app_installed_team_id'),
      at(b, 'event', 'view', 'team_id'),
      at(b, 'event', 'view', 'app_installed_team_id'),
    ),
    enterprises: ids(at(b, 'enterprise_id'), at(b, 'enterprise', 'id'), at(b, 'team', 'enterprise_id')),
  };
}

/**
 * The team id the request was authorised for; throws a UserError (nothing done yet) when Bolt
 * authorised none, or when the payload names another workspace or enterprise anywhere.
 */
export function authorisedTeamId(authorised: AuthorisedIds, body: unknown): string {
  const { teamId, enterpriseId } = authorised;
  if (!teamId) throw new UserError(NO_WORKSPACE);
  const named = workspacesNamed(body);
  if (named.teams.some((id) => id !== teamId)) throw new UserError(OTHER_WORKSPACE);
  if (enterpriseId && named.enterprises.some((id) => id !== enterpriseId)) throw new UserError(OTHER_WORKSPACE);
  return teamId;
}
