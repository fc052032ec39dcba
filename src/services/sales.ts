// Logging and voiding sales: the rules shared by the /logsale command, the modal and the
// Undo button. Throws UserError for anything the person can fix; stores nothing then.
import type { SlackDirectory } from './slack-directory.js';
import { distance } from 'fastest-levenshtein';
import pRetry from 'p-retry';
import { AnswerLost } from '../db/errors.js';
import type { Sale, SaleSource, Workspace } from '../db/schema.js';
import { convert, formatMoney } from '../domain/money.js';
import { localDate } from '../domain/periods.js';
import { OutcomeUnknown, UserError } from '../errors.js';
import { insertAudit } from '../store/audit.js';
import { rateOn } from '../store/fx.js';
import { findProductByName, listProductNames } from '../store/products.js';
import { findSale, findSaleForUpdate, insertSaleReadingProgress, markSaleVoided, updateSale, type MilestonesSeen } from '../store/sales.js';
import { ensureWorkspace } from '../store/workspaces.js';
import { guardRailFindings, type GuardRailFinding } from './guard-rails.js';
import { CONFIRMATION_TOTALS, planSnapshot, type RepSnapshot } from './progress.js';
import { currentPeriods } from './targets.js';
import type { Actor } from './actor.js';
import type { ServiceDeps } from './deps.js';
import type { Acting } from './roles.js';
import { WorkspaceChanged } from './workspaces.js';

/** What someone gets who sends a request id (a trigger or a modal's view id) another person already used. */
export const REPLAYED_BY_SOMEONE_ELSE =
  'This request was already used, so Tally saved nothing. Log your sale again with `/logsale` (e.g. `/logsale 1200 Acme`).';

export interface LogSaleRequest {
  teamId: string;
  actorId: string;
  /** The rep the sale counts for; defaults to the actor. */
  repId?: string | null | undefined;
  amountMinor: bigint;
  currency: string;
  customer: string | null;
  productName: string | null;
  /** Local date in the workspace timezone; defaults to today there. */
  closedOn?: string | null | undefined;
  note?: string | null | undefined;
  source: SaleSource;
  /** Same key, same sale: a replayed request or a double-clicked submit stores one sale. */
  idempotencyKey: string;
  /** The person said "Log it anyway" to the guard rails' question: not asked again. */
  confirmed?: boolean | undefined;
  /** Who the audit names when not the actor: a connected source (`source:KIND:NAME`). */
  auditActorId?: string | undefined;
}

/** A sale to log, without who logs it (the actor does). */
export type SaleToLog = Omit<LogSaleRequest, 'teamId' | 'actorId'>;

export interface LoggedSale {
  sale: Sale;
  created: boolean;
  productName: string | null;
  workspace: Workspace;
  /** The rep's totals and targets with this sale counted (the confirmation's CONFIRMATION_TOTALS). */
  snapshot: RepSnapshot;
  /** What the same statement saw of the rep's milestones, for celebrating this sale. */
  milestones: MilestonesSeen;
}

/** What the person is told when the sale's answer was lost and asking again did not get through. */
export const SALE_NOT_CONFIRMED =
  "Tally couldn't confirm whether the sale was saved: its database stopped answering. Check `/tally me` or App Home before logging it again.";

/** How long logging a sale keeps asking, once its answer was lost, whether the sale is stored. */
const LOST_ANSWER_RETRY_MS = 10_000;

/** A sale the guard rails ask about before storing it: nothing is stored. */
export interface SaleQuestion {
  question: GuardRailFinding[];
  /** The request with its defaults filled in, to log as it is once confirmed. */
  request: LogSaleRequest & { repId: string; closedOn: string };
  workspace: Workspace;
}

/**
 * Stores a sale, checked against `workspace` (run it in withCurrentWorkspace: it throws
 * WorkspaceChanged, nothing stored, when the settings changed), and reads the rep's progress
 * with it in the same statement. A likely mistake (see guard-rails.ts) is not stored but
 * returned as a question, unless the request is already confirmed.
 */
export async function logSale(
  deps: ServiceDeps,
  directory: SlackDirectory,
  actor: Acting,
  fields: SaleToLog,
  workspace: Workspace,
): Promise<LoggedSale | SaleQuestion> {
  const request: LogSaleRequest = { ...fields, teamId: actor.teamId, actorId: actor.userId };
  const { closedOn, repId, product, counted } = await checkSaleBy(deps, directory, actor, workspace, request);
  const now = deps.clock.now();
  const plan = planSnapshot(workspace, now);
  // The guard rails' read goes in the same retry as the write: a read whose answer was lost is
  // simply asked again, and the write after it is idempotent by its key.
  const { result: outcome, answerLost } = await storeOnce(async (writing) => {
    if (!request.confirmed) {
      const question = await guardRailFindings(deps, workspace, {
        teamId: request.teamId,
        repId,
        originalAmountMinor: counted.original_amount_minor,
        originalCurrency: counted.original_currency,
        amountMinor: counted.amount_minor,
        customer: request.customer,
        closedOn,
        idempotencyKey: request.idempotencyKey,
      });
      if (question.length > 0) return { kind: 'question' as const, question };
    }
    writing();
    const saved = await insertSaleReadingProgress(
      deps.db,
      {
        team_id: request.teamId,
        rep_id: repId,
        ...counted,
        closed_on: closedOn,
        customer: request.customer,
        product_id: product?.id ?? null,
        note: request.note ?? null,
        source: request.source,
        idempotency_key: request.idempotencyKey,
        created_by: request.actorId,
        created_at: now,
        updated_at: now,
      },
      request.auditActorId ?? request.actorId,
      {
        workspaceVersion: workspace.version,
        targetWindows: plan.targetWindows,
        ranges: plan.ranges,
        milestonePeriods: currentPeriods(workspace, now).map((p) => ({ kind: p.kind, start: p.startDate })),
      },
    );
    return { kind: 'saved' as const, saved };
  });
  if (outcome.kind === 'question') return { question: outcome.question, request: { ...request, repId, closedOn }, workspace };
  const { saved } = outcome;
  if (saved.status === 'workspace changed') throw new WorkspaceChanged(workspace.team_id);
  deps.caches.leaderboards.forget(request.teamId);
  const { sale, targets, totals, milestones } = saved;
  // Found after this call's own answer was lost: it is the sale that try stored.
  const created = saved.created || answerLost;
  // A replay answers only the person whose request stored the sale: anyone else learns nothing of it.
  if (!created && sale.created_by !== request.actorId) throw new UserError(REPLAYED_BY_SOMEONE_ELSE);
  const snapshot = plan.build(targets, totals, CONFIRMATION_TOTALS);
  return { sale, created, productName: product?.name ?? null, workspace, snapshot, milestones };
}

/**
 * Runs a write that is idempotent by its key. When its answer is lost (it may have been applied)
 * the same write is sent again until the database answers, which then stores it or finds what
 * the lost try stored, never both; if the database does not answer within LOST_ANSWER_RETRY_MS,
 * OutcomeUnknown. A write that failed before it reached the database, or that the database
 * refused, is not sent again: it stored nothing, and the person is told so at once.
 */
async function storeOnce<T>(attempt: (writing: () => void) => Promise<T>): Promise<{ result: T; answerLost: boolean }> {
  // Any lost answer is asked again; only the write's leaves the outcome open (a read's changed nothing).
  let answerLost = false;
  let writeLost = false;
  try {
    const result = await pRetry(
      async () => {
        let writing = false;
        try {
          return await attempt(() => (writing = true));
        } catch (error) {
          if (error instanceof AnswerLost) {
            answerLost = true;
            if (writing) writeLost = true;
          }
          throw error;
        }
      },
      {
        retries: 30,
        factor: 2,
        minTimeout: 100,
        maxTimeout: 1_000,
        maxRetryTime: LOST_ANSWER_RETRY_MS,
        // Once an answer was lost, any failure leaves the outcome open: ask again.
        shouldRetry: () => answerLost,
      },
    );
    return { result, answerLost: writeLost };
  } catch (error) {
    if (writeLost) throw new OutcomeUnknown(SALE_NOT_CONFIRMED, { cause: error });
    // Only reads went unanswered: nothing was written, and the person may be told so.
    throw error instanceof AnswerLost && error.cause instanceof Error ? error.cause : error;
  }
}

export function isSaleQuestion(outcome: LoggedSale | SaleQuestion): outcome is SaleQuestion {
  return 'question' in outcome;
}

export type SaleFields = Pick<LogSaleRequest, 'teamId' | 'actorId' | 'repId' | 'amountMinor' | 'currency' | 'productName' | 'closedOn'>;

/** The rules every new or changed sale meets; throws a UserError on the field at fault. */
export async function checkSale(deps: ServiceDeps, client: SlackDirectory, workspace: Workspace, fields: SaleFields) {
  return checkSaleBy(deps, client, deps.roles.acting(client, fields.teamId, fields.actorId), workspace, fields);
}

/** checkSale for `actor`, whose role is asked only when they log for someone else. */
async function checkSaleBy(deps: ServiceDeps, directory: SlackDirectory, actor: Acting, workspace: Workspace, fields: SaleFields) {
  const today = localDate(deps.clock.now(), workspace.timezone);
  const closedOn = fields.closedOn ?? today;
  const repId = fields.repId ?? fields.actorId;
  if (closedOn > today)
    throw new UserError(
      `${closedOn} is in the future: log a sale on or after the day it closed. Leave the date out for today.`,
      'closed_on',
    );
  assertOpenPeriod(workspace, closedOn);
  if (repId !== fields.actorId) {
    await deps.roles.requireActorActOn(actor, repId, closedOn, 'log a sale for someone else');
    await deps.roles.requireMember(directory, fields.teamId, repId);
  }
  const counted = await countedAmount(deps, workspace, fields.amountMinor, fields.currency, closedOn);
  const product = fields.productName ? await requireProduct(deps, fields.teamId, fields.productName) : undefined;
  return { closedOn, repId, product, counted };
}

/**
 * What a sale counts for, in the workspace currency. Another currency is converted exactly at
 * the rate in force on the close date (the latest set on or before it); without one, no sale.
 */
async function countedAmount(deps: ServiceDeps, workspace: Workspace, amountMinor: bigint, currency: string, closedOn: string) {
  const original = { original_amount_minor: amountMinor, original_currency: currency };
  if (currency === workspace.currency) return { ...original, amount_minor: amountMinor, currency, fx_rate: null };
  const rate = await rateOn(deps.db, workspace.team_id, currency, closedOn);
  if (!rate) {
    throw new UserError(
      `There is no ${currency} to ${workspace.currency} exchange rate for ${closedOn}, so the sale can't be counted. ` +
        `Log it in ${workspace.currency}, or ask an admin to set the rate with \`/tally fx ${currency} RATE ${closedOn}\`.`,
      'currency',
    );
  }
  const converted = convert(amountMinor, currency, workspace.currency, rate.rate);
  if (converted <= 0n)
    throw new UserError(
      `${formatMoney(amountMinor, currency)} is less than the smallest ${workspace.currency} amount at the rate ${rate.rate}.`,
      'amount',
    );
  return { ...original, amount_minor: converted, currency: workspace.currency, fx_rate: rate.rate };
}

export interface EditSaleRequest extends Omit<SaleFields, 'teamId' | 'actorId'> {
  saleId: bigint;
  customer: string | null;
  note: string | null;
}

/**
 * Changes a sale: its rep (who logged it, or whose it is) in an open period, or a manager.
 * The change is audited with the sale before and after.
 */
export async function editSale(
  deps: ServiceDeps,
  directory: SlackDirectory,
  actor: Actor,
  edit: EditSaleRequest,
): Promise<{ sale: Sale; before: Sale; workspace: Workspace }> {
  const request = { ...edit, teamId: actor.teamId, actorId: actor.userId };
  // Read now, not the actor's: the sale is checked against the settings as they are.
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults, deps.clock.now());
  const current = await findSale(deps.db, request.teamId, request.saleId);
  if (!current) throw new UserError(`Sale ${request.saleId} doesn't exist in this workspace.`);
  if (current.voided_at) throw new UserError('This sale was voided; it can no longer be changed.');
  const own = current.created_by === request.actorId || current.rep_id === request.actorId;
  if (!own) await deps.roles.requireActorActOn(actor, current.rep_id, current.closed_on, "change someone else's sale");
  assertOpenPeriod(workspace, current.closed_on);
  // Naming a rep other than yourself needs a manager, as when logging.
  const repId = request.repId ?? current.rep_id;
  const checked = await checkSaleBy(deps, directory, actor, workspace, { ...request, repId });
  const now = deps.clock.now();
  const { sale, before } = await deps.db.transaction().execute(async (trx) => {
    const before = await findSaleForUpdate(trx, request.teamId, request.saleId);
    if (!before || before.voided_at) throw new UserError('This sale was voided; it can no longer be changed.');
    const after = await updateSale(trx, request.teamId, request.saleId, {
      ...checked.counted,
      rep_id: repId,
      closed_on: checked.closedOn,
      customer: request.customer,
      product_id: checked.product?.id ?? null,
      note: request.note,
      updated_at: now,
    });
    await insertAudit(trx, {
      teamId: request.teamId,
      actorId: request.actorId,
      action: 'sale.edited',
      entityType: 'sale',
      entityId: String(after.id),
      before,
      after,
      at: now,
    });
    return { sale: after, before };
  });
  deps.caches.leaderboards.forget(request.teamId);
  return { sale, before, workspace };
}

export interface VoidSaleRequest {
  saleId: bigint;
  reason: string;
}

/** Voids a sale: the rep who logged it (or whose it is) may, and so may managers. */
export async function voidSale(deps: ServiceDeps, actor: Actor, voiding: VoidSaleRequest): Promise<{ sale: Sale; workspace: Workspace }> {
  const request = { ...voiding, teamId: actor.teamId, actorId: actor.userId };
  // Read now, not the actor's: the period is checked as it is closed now.
  const workspace = await ensureWorkspace(deps.db, request.teamId, deps.config.defaults, deps.clock.now());
  const current = await findSale(deps.db, request.teamId, request.saleId);
  if (!current) throw new UserError(`Sale ${request.saleId} doesn't exist in this workspace.`);
  const own = current.created_by === request.actorId || current.rep_id === request.actorId;
  // Permission first, outside the transaction: it may ask Slack who the person is.
  if (!own) await deps.roles.requireActorActOn(actor, current.rep_id, current.closed_on, "void someone else's sale");
  assertOpenPeriod(workspace, current.closed_on);
  const now = deps.clock.now();
  const sale = await deps.db.transaction().execute(async (trx) => {
    const before = await findSaleForUpdate(trx, request.teamId, request.saleId);
    if (!before || before.voided_at) {
      throw new UserError(
        `Sale ${request.saleId} (${formatMoney(current.amount_minor, current.currency)}) was already voided; it counts nowhere.`,
      );
    }
    const after = await markSaleVoided(trx, request.teamId, request.saleId, request.actorId, request.reason, now);
    await insertAudit(trx, {
      teamId: request.teamId,
      actorId: request.actorId,
      action: 'sale.voided',
      entityType: 'sale',
      entityId: String(after.id),
      before,
      after,
      at: now,
    });
    return after;
  });
  deps.caches.leaderboards.forget(request.teamId);
  return { sale, workspace };
}

export function assertOpenPeriod(workspace: Pick<Workspace, 'locked_through'>, closedOn: string): void {
  if (workspace.locked_through && closedOn <= workspace.locked_through) {
    throw new UserError(
      `Sales closed on or before ${workspace.locked_through} are locked (the period is closed), so ${closedOn} can't be changed. A workspace admin can unlock it in /tally settings.`,
      'closed_on',
    );
  }
}

async function requireProduct(deps: ServiceDeps, teamId: string, name: string) {
  const product = await findProductByName(deps.db, teamId, name);
  if (product) return product;
  const known = await listProductNames(deps.db, teamId);
  throw new UserError(unknownProductMessage(name, known), 'product');
}

export function unknownProductMessage(name: string, known: readonly string[]): string {
  if (known.length === 0) {
    return `There is no product \`${name}\` yet: the catalogue is empty. A manager can add it with \`/tally products add ${name}\`, or leave the #product out.`;
  }
  const suggestions = closestNames(name, known, 3);
  return `There is no product \`${name}\`. Did you mean ${suggestions.map((s) => `\`#${s}\``).join(', ')}? A manager can add new products with \`/tally products add NAME\`.`;
}

function closestNames(name: string, known: readonly string[], count: number): string[] {
  const needle = name.toLowerCase();
  const score = (candidate: string) => distance(needle, candidate.toLowerCase());
  return [...known].sort((a, b) => score(a) - score(b) || a.localeCompare(b)).slice(0, count);
}
