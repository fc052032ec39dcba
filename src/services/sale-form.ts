// What the Log a sale (and Edit sale) form offers the person opening it: whom they may log a
// sale for, the products of the catalogue and the currencies a sale can be counted in. Reps log
// their own sales only, so their form has no rep field; a manager picks among the reps of the
// teams they manage, an admin (or a manager never given a team) among every team's reps.
import type { SlackDirectory } from './slack-directory.js';
import type { Workspace } from '../db/schema.js';
import { localDate } from '../domain/periods.js';
import { latestRates } from '../store/fx.js';
import { countProducts, listProductNames } from '../store/products.js';
import { hasTeamAssignments, managedTeamIdsOn, repIdsOn } from '../store/teams.js';
import type { Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';

/** Beyond this many reps the form uses Slack's own people search instead of a list. */
export const MAX_LISTED_REPS = 50;
/** Slack's limit on a static select's options; a longer catalogue is searched as you type. */
export const MAX_LISTED_PRODUCTS = 100;

export interface Person {
  id: string;
  name: string;
}

export type RepPicker =
  /** Only their own sales: no rep field. */
  | { kind: 'own' }
  /** The person themself first, then the reps they may log for. */
  | { kind: 'list'; me: Person; reps: Person[] }
  /** Too many (or no team yet) to list: anyone in Slack, checked when the form is submitted. */
  | { kind: 'anyone' };

export interface SaleFormChoices {
  reps: RepPicker;
  /** The catalogue's names, or 'search' when it is too long to list. */
  products: string[] | 'search';
  /** The workspace currency first, then those with an exchange rate. */
  currencies: string[];
}

export async function saleFormChoices(
  deps: ServiceDeps,
  /** How the people offered are asked of Slack (their names, whether they are members). */
  directory: SlackDirectory,
  actor: Actor,
  /** When editing: the sale's rep, offered even when no longer one of the actor's reps. */
  saleRepId?: string,
): Promise<SaleFormChoices> {
  const workspace = await actor.workspace();
  const teamId = workspace.team_id;
  const [reps, productCount, rates] = await Promise.all([
    repPicker(deps, directory, workspace, actor, saleRepId),
    countProducts(deps.db, teamId),
    latestRates(deps.db, teamId),
  ]);
  const products = productCount > MAX_LISTED_PRODUCTS ? 'search' : await listProductNames(deps.db, teamId);
  const currencies = [workspace.currency, ...rates.map((r) => r.currency).filter((c) => c !== workspace.currency)].slice(0, 100);
  return { reps, products, currencies };
}

async function repPicker(
  deps: ServiceDeps,
  directory: SlackDirectory,
  workspace: Workspace,
  actor: Actor,
  saleRepId: string | undefined,
): Promise<RepPicker> {
  const { teamId, userId: actorId } = actor;
  const role = await actor.role();
  if (role === 'rep') return { kind: 'own' };
  const today = localDate(deps.clock.now(), workspace.timezone);
  const perTeam = role === 'manager' && (await hasTeamAssignments(deps.db, teamId, actorId));
  const ids = await repIdsOn(deps.db, teamId, today, perTeam ? await managedTeamIdsOn(deps.db, teamId, actorId, today) : null);
  if (saleRepId !== undefined && saleRepId !== actorId && !ids.includes(saleRepId)) ids.push(saleRepId);
  const candidates = ids.filter((id) => id !== actorId && !deps.config.adminUserIds.has(id));
  // No team has members yet: nothing to list, but an admin may still log for anyone.
  if (candidates.length === 0 && !perTeam) return { kind: 'anyone' };
  if (candidates.length > MAX_LISTED_REPS) return { kind: 'anyone' };
  const [me, ...people] = await Promise.all(
    [actorId, ...candidates].map(async (id) => ({ id, ...(await deps.roles.person(directory, teamId, id)) })),
  );
  // Slack admins and people who left the workspace cannot have sales logged for them (the
  // sale's own rep stays, so the form can show whose sale it is).
  const reps = people.filter((p) => p.id === saleRepId || (p.member && !p.isAdmin)).map(({ id, name }) => ({ id, name }));
  reps.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
  if (reps.length === 0) return { kind: 'own' };
  return { kind: 'list', me: { id: me!.id, name: me!.name }, reps };
}
